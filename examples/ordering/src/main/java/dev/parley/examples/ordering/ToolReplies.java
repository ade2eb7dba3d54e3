package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.examples.ordering.Conversation.CartView;
import dev.parley.examples.ordering.Conversation.LineView;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The second step of a turn: the spoken answer built from the tool results, as a model would phrase it. */
final class ToolReplies {
    private final Menu menu;
    private final Replies replies;

    ToolReplies(Menu menu, Replies replies) {
        this.menu = menu;
        this.replies = replies;
    }

    /** One tool call and what it returned; {@code result} is empty when the content was no JSON (cancelled, failed). */
    record Outcome(String tool, JsonNode args, Optional<JsonNode> result) {
        boolean ok() {
            return result.map(r -> r.path("ok").asBoolean(false)).orElse(false);
        }

        String action() {
            return result.map(r -> r.path("action").asText("")).orElse("");
        }
    }

    static List<Outcome> outcomes(List<ChatMessage.ToolResult> results, List<ToolCall> calls) {
        Map<String, ToolCall> byId = new java.util.HashMap<>();
        calls.forEach(c -> byId.put(c.id(), c));
        List<Outcome> out = new ArrayList<>();
        for (ChatMessage.ToolResult r : results) {
            ToolCall call = byId.get(r.callId());
            JsonNode args = call == null ? ToolJson.MAPPER.createObjectNode()
                    : Conversation.json(call.argumentsJson()).orElse(ToolJson.MAPPER.createObjectNode());
            out.add(new Outcome(r.name(), args, Conversation.json(r.content())));
        }
        return out;
    }

    /** The answer to the caller's {@code intent} given what the tools did. */
    String answer(Intent intent, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return replies.notUnderstood();
        }
        if (outcomes.stream().allMatch(o -> o.result().isEmpty())) {
            return "Sorry, I couldn't finish that. Could you say it again?";
        }
        Outcome first = outcomes.getFirst();
        return switch (first.tool()) {
            case OrderTools.TRANSFER_TO_HUMAN -> first.ok() ? replies.transferring() : error(first);
            case OrderTools.CONFIRM_ORDER -> first.ok() ? replies.confirmed(cart(first)) : error(first);
            case OrderTools.VIEW_CART -> first.ok()
                    ? replies.readBack(cart(first), !(intent instanceof Intent.ReadBack))
                    : error(first);
            case OrderTools.SEARCH_MENU -> search(intent, outcomes);
            default -> writes(intent, outcomes);
        };
    }

    private String writes(Intent intent, List<Outcome> outcomes) {
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        CartView cart = null;
        for (Outcome o : outcomes) {
            if (!o.ok()) {
                String message = error(o);
                if (!errors.contains(message)) {
                    errors.add(message);
                }
                continue;
            }
            cart = cart(o);
            LineView line = Conversation.lineView(o.result().orElseThrow().path("line"));
            switch (o.action()) {
                case "added" -> added.add(replies.line(line));
                case "updated" -> updated.add(replies.line(line));
                case "removed" -> removed.add(replies.the(line));
                default -> { }
            }
        }
        List<String> sentences = new ArrayList<>();
        if (!removed.isEmpty() && !added.isEmpty()) {
            sentences.add("Okay, " + Replies.list(added) + " instead of " + Replies.list(removed) + ".");
        } else if (!removed.isEmpty()) {
            sentences.add("Okay, I removed " + Replies.list(removed) + ".");
        } else if (!added.isEmpty()) {
            sentences.add(Replies.capitalize(Replies.list(added)) + ".");
        }
        if (!updated.isEmpty()) {
            sentences.add("Okay, that's now " + Replies.list(updated) + ".");
        }
        sentences.addAll(errors);
        boolean asked = !sentences.isEmpty() && sentences.getLast().endsWith("?");
        if (cart != null && intent instanceof Intent.Order o && o.thenDone() && errors.isEmpty()) {
            sentences.add(replies.readBack(cart, true));
        } else if (!asked) {
            sentences.add(cart != null && cart.lines().isEmpty() ? "What would you like to order?" : "Anything else?");
        }
        return String.join(" ", sentences);
    }

    private String search(Intent intent, List<Outcome> outcomes) {
        List<JsonNode> items = new ArrayList<>();
        String category = "";
        boolean wholeMenu = false;
        for (Outcome o : outcomes) {
            JsonNode result = o.result().orElse(ToolJson.MAPPER.createObjectNode());
            result.path("items").forEach(items::add);
            category = result.path("category").asText(category);
            wholeMenu |= result.has("categories");
        }
        if (wholeMenu) {
            return replies.wholeMenu();
        }
        if (!category.isEmpty() && menu.category(category).isPresent()) {
            return replies.category(category);
        }
        List<MenuItem> found = items.stream().map(i -> menu.item(i.path("item").asText(""))).flatMap(Optional::stream).toList();
        if (found.isEmpty()) {
            return "Sorry, we don't have that on the menu. What else can I get you?";
        }
        List<String> sentences = new ArrayList<>();
        switch (intent) {
            case Intent.AskPrice(List<Intent.ItemRequest> asked) -> {
                for (Intent.ItemRequest request : asked) {
                    menu.item(request.itemId()).filter(found::contains)
                            .ifPresent(item -> sentences.add(replies.price(item, request.size())));
                }
            }
            case Intent.AskAbout(String itemId) -> menu.item(itemId).filter(found::contains)
                    .ifPresent(item -> sentences.add(replies.about(item)));
            default -> { }
        }
        if (sentences.isEmpty()) {
            List<String> names = found.stream().map(MenuItem::name).distinct().limit(6).toList();
            sentences.add("We have " + Replies.list(names) + ".");
        }
        return String.join(" ", sentences);
    }

    private static CartView cart(Outcome o) {
        return Conversation.cartView(o.result().orElseThrow().path("cart"));
    }

    private static String error(Outcome o) {
        return o.result().map(r -> r.path("message").asText("")).filter(m -> !m.isBlank())
                .orElse("Sorry, I couldn't do that.");
    }
}
