package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.examples.ordering.Conversation.CartView;
import dev.parley.examples.ordering.Conversation.LineView;
import dev.parley.examples.ordering.Conversation.Mode;
import dev.parley.examples.ordering.Intent.ItemRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The first step of a turn: from the caller's latest words, what the agent last asked and the cart as last seen,
 * decide which tools to call, or what to say when no tool is needed (a clarifying question, a greeting).
 *
 * <p>Size policy: items with several sizes and no default (pizzas, wings) need a size; when the caller gives none the
 * agent asks before adding anything from that sentence, and applies the answer to every item still missing one.
 * Items with a default size (drinks: medium, sides: regular) take it silently.
 */
final class TurnPolicy {
    private final Menu menu;
    private final UtteranceParser parser;
    private final Replies replies;

    TurnPolicy(Menu menu, UtteranceParser parser, Replies replies) {
        this.menu = menu;
        this.parser = parser;
        this.replies = replies;
    }

    /** The intent of the caller turn at {@code index}, with keys mapped to what they stand for. */
    Intent intentAt(Conversation c, int index) {
        Intent intent = parser.parse(Conversation.text(c.messages().get(index)));
        if (intent instanceof Intent.Keys(String digits)) {
            return switch (digits.charAt(0)) {
                case '1' -> new Intent.Affirm();
                case '2' -> new Intent.Deny();
                case '0' -> new Intent.Human();
                case '9' -> new Intent.ReadBack();
                default -> intent;
            };
        }
        return intent;
    }

    Plan decide(Conversation c, int index) {
        Mode mode = c.modeBefore(index);
        CartView cart = c.cart();
        return switch (intentAt(c, index)) {
            case Intent.Order(List<ItemRequest> items, boolean thenDone) -> order(c, index, mode, items);
            case Intent.SizeAnswer(String size) -> mode == Mode.AWAIT_SIZE
                    ? order(c, index, mode, List.of())
                    : Plan.say("Sorry, " + Replies.article(size) + " what?");
            case Intent.Vague(String categoryId) -> Plan.say(replies.whichItem(categoryId));
            case Intent.Correct k -> correct(k, c, cart);
            case Intent.Remove(List<Intent.Ref> targets, boolean everything) -> remove(targets, everything, c, cart);
            case Intent.AskPrice(List<ItemRequest> items) -> Plan.call(items.stream().map(ItemRequest::itemId).distinct()
                    .map(id -> search(menu.item(id).orElseThrow().name())).toList());
            case Intent.AskAbout(String itemId) -> Plan.call(List.of(search(menu.item(itemId).orElseThrow().name())));
            case Intent.AskCategory(String categoryId) -> Plan.call(List.of(search(categoryId)));
            case Intent.AskMenu m -> Plan.call(List.of(search("menu")));
            case Intent.AskUnknown(String query) -> Plan.call(List.of(search(query)));
            case Intent.ReadBack r -> Plan.call(List.of(Plan.call(OrderTools.VIEW_CART)));
            case Intent.Done(boolean affirmative) -> mode == Mode.AWAIT_CONFIRM && affirmative
                    ? Plan.call(List.of(Plan.call(OrderTools.CONFIRM_ORDER)))
                    : Plan.call(List.of(Plan.call(OrderTools.VIEW_CART)));
            case Intent.Affirm a -> switch (mode) {
                case AWAIT_CONFIRM -> Plan.call(List.of(Plan.call(OrderTools.CONFIRM_ORDER)));
                case ANYTHING_ELSE -> Plan.say("Sure, what else can I get you?");
                case AWAIT_SIZE -> Plan.say(sizeQuestion(c, index));
                case NORMAL -> Plan.say(cart.lines().isEmpty() ? "Great, what can I get for you?" : "Okay. Anything else?");
            };
            case Intent.Deny d -> switch (mode) {
                case AWAIT_CONFIRM -> Plan.say("No problem. What would you like to change?");
                case ANYTHING_ELSE -> Plan.call(List.of(Plan.call(OrderTools.VIEW_CART)));
                case AWAIT_SIZE, NORMAL -> Plan.say("Okay. What would you like to order?");
            };
            case Intent.Human h -> {
                Plan.Call call = Plan.call(OrderTools.TRANSFER_TO_HUMAN);
                call.args().put("reason", "caller asked for a person");
                yield Plan.call(List.of(call));
            }
            case Intent.Greeting g -> Plan.say(cart.lines().isEmpty() ? replies.greeting() : "Hi! What else can I get for you?");
            case Intent.Keys k -> Plan.say("Sorry, that key doesn't do anything here. Just tell me what you'd like.");
            case Intent.Unknown u -> Plan.say(switch (mode) {
                case AWAIT_SIZE -> "Sorry, " + sizeQuestion(c, index).replace("What", "what");
                case AWAIT_CONFIRM -> "Sorry, shall I place the order? Please say yes or no.";
                case NORMAL, ANYTHING_ELSE -> replies.notUnderstood();
            });
        };
    }

    private Plan order(Conversation c, int index, Mode mode, List<ItemRequest> said) {
        List<ItemRequest> items = said;
        if (mode == Mode.AWAIT_SIZE) {
            items = merge(pending(c, index), said, sizeSaid(c, index));
        }
        if (items.isEmpty()) {
            return Plan.say(replies.notUnderstood());
        }
        List<ItemRequest> missing = items.stream().filter(i -> i.size().isEmpty()
                && menu.item(i.itemId()).orElseThrow().needsSizeChoice()).toList();
        if (!missing.isEmpty()) {
            return Plan.say(replies.askSize(missing));
        }
        return Plan.call(items.stream().map(this::add).toList());
    }

    private String sizeQuestion(Conversation c, int index) {
        List<ItemRequest> missing = pending(c, index).stream().filter(i -> i.size().isEmpty()).toList();
        return missing.isEmpty() ? "What size would you like: small, medium or large?" : replies.askSize(missing);
    }

    private String sizeSaid(Conversation c, int index) {
        return parser.parse(Conversation.text(c.messages().get(index))) instanceof Intent.SizeAnswer(String size) ? size : "";
    }

    /** The items of the order the agent is asking a size for: the latest earlier caller turn that named items. */
    private List<ItemRequest> pending(Conversation c, int index) {
        int looked = 0;
        for (String text : c.earlierCallerTexts(index)) {
            if (looked++ >= 4) {
                break;
            }
            switch (parser.parse(text)) {
                case Intent.Order o -> {
                    return o.items();
                }
                case Intent.Correct k when !k.items().isEmpty() -> {
                    return k.items();
                }
                case Intent.SizeAnswer s -> { }
                case Intent.Unknown u -> { }
                case Intent.Vague v -> { }
                default -> {
                    return List.of();
                }
            }
        }
        return List.of();
    }

    /** The pending items with the sizes now said: by item when named again, else the one size for all missing. */
    private List<ItemRequest> merge(List<ItemRequest> pending, List<ItemRequest> said, String size) {
        List<ItemRequest> out = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        said.forEach(s -> named.add(s.itemId()));
        for (ItemRequest p : pending) {
            if (named.contains(p.itemId())) {
                continue;
            }
            MenuItem item = menu.item(p.itemId()).orElseThrow();
            out.add(p.size().isEmpty() && item.needsSizeChoice() && item.size(size).isPresent() ? p.withSize(size) : p);
        }
        for (ItemRequest s : said) {
            ItemRequest before = pending.stream().filter(p -> p.itemId().equals(s.itemId())).findFirst().orElse(null);
            if (before != null && !s.counted() && before.quantity() > 1) {
                out.add(new ItemRequest(s.itemId(), before.quantity(), true, s.size(),
                        s.modifiers().isEmpty() ? before.modifiers() : s.modifiers()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private Plan correct(Intent.Correct k, Conversation c, CartView cart) {
        if (cart.lines().isEmpty()) {
            return k.items().isEmpty()
                    ? Plan.say("There's nothing in your order yet. What would you like?")
                    : Plan.call(k.items().stream().map(this::add).toList());
        }
        Optional<LineView> target = target(k.target(), c, cart);
        if (!k.items().isEmpty()) {
            ItemRequest first = k.items().getFirst();
            Optional<LineView> inCart = cart.lastOf(first.itemId());
            if (k.items().size() >= 2 && inCart.isPresent() && cart.lastOf(k.items().get(1).itemId()).isEmpty()) {
                return replace(inCart.get(), k.items().get(1));
            }
            if (inCart.isPresent()) {
                List<String> modifiers = new ArrayList<>(first.modifiers());
                modifiers.addAll(k.modifiers());
                return update(inCart.get(), first.counted() ? first.quantity() : k.quantity(),
                        first.size().isEmpty() ? k.size() : first.size(), modifiers);
            }
            return target.map(line -> replace(line, first)).orElseGet(() -> Plan.call(List.of(add(first))));
        }
        return target.map(line -> update(line, k.quantity(), k.size(), k.modifiers()))
                .orElseGet(() -> Plan.say("Which item would you like to change?"));
    }

    private Optional<LineView> target(Intent.Ref ref, Conversation c, CartView cart) {
        if (!ref.itemId().isEmpty()) {
            return cart.lastOf(ref.itemId());
        }
        if (!ref.categoryId().isEmpty()) {
            return cart.lines().stream()
                    .filter(l -> menu.item(l.itemId()).map(i -> i.categoryId().equals(ref.categoryId())).orElse(false))
                    .reduce((a, b) -> b);
        }
        return c.lastTouched(cart);
    }

    private Plan update(LineView line, int quantity, String size, List<String> modifiers) {
        Plan.Call call = Plan.call(OrderTools.UPDATE_ITEM);
        call.args().put("line_id", line.lineId());
        if (quantity > 0) {
            call.args().put("quantity", quantity);
        }
        if (!size.isEmpty()) {
            call.args().put("size", size);
        }
        if (!modifiers.isEmpty()) {
            ArrayNode all = call.args().putArray("modifiers");
            line.modifiers().forEach(all::add);
            modifiers.stream().map(this::modifierName).filter(m -> !line.modifiers().contains(m)).forEach(all::add);
        }
        if (call.args().size() == 1) {
            return Plan.say("What would you like to change about " + replies.the(line) + "?");
        }
        return Plan.call(List.of(call));
    }

    private Plan replace(LineView line, ItemRequest with) {
        Plan.Call remove = Plan.call(OrderTools.REMOVE_ITEM);
        remove.args().put("line_id", line.lineId());
        MenuItem item = menu.item(with.itemId()).orElseThrow();
        String size = with.size().isEmpty() && item.size(line.size()).isPresent() ? line.size() : with.size();
        int quantity = with.counted() ? with.quantity() : line.quantity();
        ItemRequest request = new ItemRequest(with.itemId(), quantity, true, size, with.modifiers());
        return Plan.call(List.of(remove, add(request)));
    }

    private Plan remove(List<Intent.Ref> targets, boolean everything, Conversation c, CartView cart) {
        if (everything) {
            if (cart.lines().isEmpty()) {
                return Plan.say("Your order is already empty. What would you like?");
            }
            return Plan.call(cart.lines().stream().map(l -> removeLine(l.lineId())).toList());
        }
        List<Plan.Call> calls = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Intent.Ref ref : targets) {
            Optional<LineView> line = target(ref, c, cart);
            if (line.isPresent()) {
                if (seen.add(line.get().lineId())) {
                    calls.add(removeLine(line.get().lineId()));
                }
            } else if (!ref.itemId().isEmpty() || !ref.categoryId().isEmpty()) {
                Plan.Call call = Plan.call(OrderTools.REMOVE_ITEM);
                call.args().put("item", ref.itemId().isEmpty() ? ref.categoryId()
                        : menu.item(ref.itemId()).orElseThrow().name());
                calls.add(call);
            }
        }
        return calls.isEmpty() ? Plan.say("There's nothing in your order yet. What would you like?") : Plan.call(calls);
    }

    private static Plan.Call removeLine(String lineId) {
        Plan.Call call = Plan.call(OrderTools.REMOVE_ITEM);
        call.args().put("line_id", lineId);
        return call;
    }

    private Plan.Call add(ItemRequest request) {
        Plan.Call call = Plan.call(OrderTools.ADD_ITEM);
        ObjectNode args = call.args();
        args.put("item", menu.item(request.itemId()).orElseThrow().name());
        if (!request.size().isEmpty()) {
            args.put("size", request.size());
        }
        args.put("quantity", Math.max(1, request.quantity()));
        ArrayNode modifiers = args.putArray("modifiers");
        request.modifiers().stream().map(this::modifierName).forEach(modifiers::add);
        return call;
    }

    private Plan.Call search(String query) {
        Plan.Call call = Plan.call(OrderTools.SEARCH_MENU);
        call.args().put("query", query);
        return call;
    }

    private String modifierName(String idOrText) {
        return menu.modifier(idOrText).map(Modifier::name).orElse(idOrText);
    }
}
