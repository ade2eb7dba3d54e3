package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.spi.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the engine knows from the history alone: the caller's turns, what the agent last asked (only the words the
 * caller heard count), and the cart as the latest tool result showed it.
 */
final class Conversation {
    /** What the agent's last words asked for. */
    enum Mode {
        NORMAL,
        AWAIT_SIZE,
        AWAIT_CONFIRM,
        ANYTHING_ELSE
    }

    record LineView(String lineId, String itemId, String name, String size, int quantity, List<String> modifiers) {}

    record CartView(List<LineView> lines, boolean confirmed, long totalCents, String orderNumber) {
        static final CartView EMPTY = new CartView(List.of(), false, 0, "");

        Optional<LineView> lastOf(String itemId) {
            return lines.stream().filter(l -> l.itemId().equals(itemId)).reduce((a, b) -> b);
        }

        Optional<LineView> line(String lineId) {
            return lines.stream().filter(l -> l.lineId().equals(lineId)).findFirst();
        }
    }

    static final String ASK_SIZE = "what size";
    static final String ASK_CONFIRM = "shall i place the order";
    static final String ANYTHING_ELSE = "anything else";

    private final List<ChatMessage> messages;

    Conversation(List<ChatMessage> messages) {
        this.messages = List.copyOf(messages);
    }

    List<ChatMessage> messages() {
        return messages;
    }

    static boolean isCallerTurn(ChatMessage message) {
        return switch (message) {
            case ChatMessage.User u -> true;
            case ChatMessage.System s -> s.text().toLowerCase(Locale.ROOT).contains("pressed");
            case ChatMessage.Assistant a -> false;
            case ChatMessage.ToolResult r -> false;
        };
    }

    static String text(ChatMessage message) {
        return switch (message) {
            case ChatMessage.User u -> u.text();
            case ChatMessage.System s -> s.text();
            case ChatMessage.Assistant a -> a.text();
            case ChatMessage.ToolResult r -> r.content();
        };
    }

    /** Index of the latest caller turn, or -1. */
    int lastCallerIndex() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (isCallerTurn(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** How many caller turns there are up to and including {@code index}. */
    int callerTurns(int index) {
        int n = 0;
        for (int i = 0; i <= index && i < messages.size(); i++) {
            n += isCallerTurn(messages.get(i)) ? 1 : 0;
        }
        return n;
    }

    /** Caller texts before {@code index}, latest first. */
    List<String> earlierCallerTexts(int index) {
        List<String> out = new ArrayList<>();
        for (int i = index - 1; i >= 0; i--) {
            if (isCallerTurn(messages.get(i))) {
                out.add(text(messages.get(i)));
            }
        }
        return out;
    }

    /** What the agent's last heard words before {@code index} asked for. */
    Mode modeBefore(int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.Assistant a && !a.text().isBlank()) {
                String heard = a.text().toLowerCase(Locale.ROOT);
                if (heard.contains(ASK_SIZE)) {
                    return Mode.AWAIT_SIZE;
                }
                if (heard.contains(ASK_CONFIRM)) {
                    return Mode.AWAIT_CONFIRM;
                }
                return heard.contains(ANYTHING_ELSE) ? Mode.ANYTHING_ELSE : Mode.NORMAL;
            }
            if (isCallerTurn(messages.get(i))) {
                return Mode.NORMAL;
            }
        }
        return Mode.NORMAL;
    }

    /** The cart as the latest tool result that carried one showed it. */
    CartView cart() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.ToolResult r) {
                Optional<JsonNode> cart = json(r.content()).map(j -> j.path("cart")).filter(JsonNode::isObject);
                if (cart.isPresent()) {
                    return cartView(cart.get());
                }
            }
        }
        return CartView.EMPTY;
    }

    /** The line the caller most likely means by "that": the latest line added or changed that is still in the cart. */
    Optional<LineView> lastTouched(CartView cart) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.ToolResult r) {
                Optional<JsonNode> json = json(r.content());
                String action = json.map(j -> j.path("action").asText("")).orElse("");
                if (action.equals("added") || action.equals("updated")) {
                    Optional<LineView> line = cart.line(json.get().path("line").path("line_id").asText(""));
                    if (line.isPresent()) {
                        return line;
                    }
                }
            }
        }
        return cart.lines().isEmpty() ? Optional.empty() : Optional.of(cart.lines().getLast());
    }

    static Optional<JsonNode> json(String content) {
        String trimmed = content.trim();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ToolJson.MAPPER.readTree(trimmed));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    static LineView lineView(JsonNode line) {
        List<String> modifiers = new ArrayList<>();
        line.path("modifiers").forEach(m -> modifiers.add(m.asText()));
        return new LineView(line.path("line_id").asText(""), line.path("item").asText(""), line.path("name").asText(""),
                line.path("size").asText(""), line.path("quantity").asInt(1), modifiers);
    }

    static CartView cartView(JsonNode cart) {
        List<LineView> lines = new ArrayList<>();
        cart.path("lines").forEach(l -> lines.add(lineView(l)));
        long total = Money.parse(cart.path("total").asText("0"));
        return new CartView(lines, cart.path("status").asText("").equals("confirmed"), total,
                cart.path("order_number").asText(""));
    }
}
