package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The cart tools' logic: validates arguments against the menu and writes through {@link Carts#update}. */
final class CartActions {
    static final int MAX_QUANTITY = 20;

    private final Menu menu;
    private final CartStore store;
    private final ToolJson json;

    CartActions(Menu menu, CartStore store, ToolJson json) {
        this.menu = menu;
        this.store = store;
        this.json = json;
    }

    String add(JsonNode args, String cartId, String key) {
        MenuItem item = item(text(args, "item"));
        String size = size(item, text(args, "size"));
        int quantity = quantity(args).orElse(1);
        List<String> modifiers = modifiers(item, args.path("modifiers"));
        long unit = unitPrice(item, size, modifiers);
        Carts.Committed done = Carts.update(store, cartId, key, cart -> {
            requireOpen(cart);
            return cart.add(new CartLine("", item.id(), size, quantity, modifiers, unit));
        });
        CartLine added = done.after().lines().stream()
                .filter(l -> done.before().line(l.lineId()).isEmpty())
                .findFirst().orElseThrow();
        return written("added", added, done.after()).toString();
    }

    String update(JsonNode args, String cartId, String key) {
        String lineId = text(args, "line_id");
        String itemName = text(args, "item");
        OptionalInt quantity = quantity(args);
        String newSize = text(args, "size");
        boolean changeModifiers = args.has("modifiers") && args.get("modifiers").isArray();
        if (quantity.isEmpty() && newSize.isEmpty() && !changeModifiers) {
            throw new ToolError("nothing_to_change", "What would you like to change about it?");
        }
        Carts.Committed done = Carts.update(store, cartId, key, cart -> {
            requireOpen(cart);
            CartLine line = line(cart, lineId, itemName);
            MenuItem item = menu.item(line.itemId()).orElseThrow(() -> new ToolError("unknown_item", "That item is no longer on the menu."));
            String size = newSize.isEmpty() ? line.size() : size(item, newSize);
            List<String> modifiers = changeModifiers ? modifiers(item, args.get("modifiers")) : line.modifierIds();
            int q = quantity.orElse(line.quantity());
            return cart.replace(new CartLine(line.lineId(), line.itemId(), size, q, modifiers, unitPrice(item, size, modifiers)));
        });
        CartLine after = line(done.after(), lineId, itemName);
        CartLine before = done.before().line(after.lineId()).orElse(after);
        ObjectNode result = written("updated", after, done.after());
        result.set("previous", json.line(before));
        return result.toString();
    }

    String remove(JsonNode args, String cartId, String key) {
        String lineId = text(args, "line_id");
        String itemName = text(args, "item");
        Carts.Committed done = Carts.update(store, cartId, key, cart -> {
            requireOpen(cart);
            return cart.remove(line(cart, lineId, itemName).lineId());
        });
        CartLine removed = done.before().lines().stream()
                .filter(l -> done.after().line(l.lineId()).isEmpty())
                .findFirst().orElseThrow();
        return written("removed", removed, done.after()).toString();
    }

    String view(String cartId) {
        ObjectNode result = ToolJson.ok();
        result.set("cart", json.cart(store.snapshot(cartId)));
        return result.toString();
    }

    String confirm(String cartId, String key) {
        Cart current = store.snapshot(cartId);
        Cart confirmed = current;
        if (!current.confirmed()) {
            confirmed = Carts.update(store, cartId, key, cart -> {
                if (cart.confirmed()) {
                    return cart;
                }
                if (cart.isEmpty()) {
                    throw new ToolError("empty_cart", "There is nothing in the order yet.");
                }
                return cart.confirm(orderNumber(cart));
            }).after();
        }
        ObjectNode result = ToolJson.ok().put("action", "confirmed");
        result.set("cart", json.cart(confirmed));
        return result.toString();
    }

    /** A four-digit order number derived from the cart, so replays and retries agree. */
    static String orderNumber(Cart cart) {
        return Integer.toString(1000 + Math.floorMod((cart.id() + "#" + cart.version()).hashCode(), 9000));
    }

    private ObjectNode written(String action, CartLine line, Cart cart) {
        ObjectNode result = ToolJson.ok().put("action", action);
        result.set("line", json.line(line));
        result.set("cart", json.cart(cart));
        return result;
    }

    private static void requireOpen(Cart cart) {
        if (cart.confirmed()) {
            throw new ToolError("order_confirmed", "This order has already been placed, order number " + cart.orderNumber() + ".");
        }
    }

    MenuItem item(String spoken) {
        if (spoken.isBlank()) {
            throw new ToolError("missing_argument", "Which item would you like?");
        }
        Optional<MenuItem> item = menu.find(spoken);
        if (item.isPresent()) {
            return item.get();
        }
        Optional<Category> category = menu.index().categoryNamed(spoken).flatMap(menu::category);
        if (category.isPresent()) {
            List<String> names = menu.itemsIn(category.get().id()).stream().map(MenuItem::name).toList();
            String noun = category.get().words().isEmpty() ? category.get().name() : category.get().words().getFirst();
            throw new ToolError("which_item", "Which " + noun + " would you like? We have " + Replies.list(names) + ".")
                    .with("options", names);
        }
        throw new ToolError("unknown_item", "Sorry, we don't have " + spoken + ".");
    }

    String size(MenuItem item, String spoken) {
        if (spoken.isBlank()) {
            return item.implicitSize().orElseThrow(() -> new ToolError("size_required",
                    "What size would you like for the " + item.name() + ": " + Replies.alternatives(item.sizeNames()) + "?")
                    .with("sizes", item.sizeNames()));
        }
        String size = MenuIndex.tokens(spoken).stream().map(w -> menu.index().size(w)).flatMap(Optional::stream)
                .findFirst().orElse(spoken.trim());
        if (item.size(size).isPresent()) {
            return size;
        }
        if (size.equals("regular") && item.implicitSize().isPresent()) {
            return item.implicitSize().get();
        }
        String message = item.singleSize()
                ? "The " + item.name() + (Replies.pluralName(item) ? " come" : " comes") + " in one size only."
                : "The " + item.plural() + " come in " + Replies.alternatives(item.sizeNames()) + ".";
        throw new ToolError("size_not_offered", message).with("sizes", item.sizeNames());
    }

    private List<String> modifiers(MenuItem item, JsonNode array) {
        List<String> ids = new ArrayList<>();
        for (JsonNode node : array) {
            String spoken = node.asText("");
            if (spoken.isBlank()) {
                continue;
            }
            Modifier modifier = menu.findModifier(spoken)
                    .orElseThrow(() -> new ToolError("unknown_modifier", "Sorry, I can't do " + spoken + "."));
            if (!item.allows(modifier.id())) {
                throw new ToolError("modifier_not_allowed", "Sorry, we can't do " + modifier.name() + " on the " + item.name() + ".")
                        .with("allowed", menu.modifiersOf(item).stream().map(Modifier::name).toList());
            }
            if (!ids.contains(modifier.id())) {
                ids.add(modifier.id());
            }
        }
        return ids;
    }

    private long unitPrice(MenuItem item, String size, List<String> modifiers) {
        long price = item.size(size).orElseThrow().priceCents();
        for (String m : modifiers) {
            price += menu.modifier(m).orElseThrow().priceCents();
        }
        return price;
    }

    private CartLine line(Cart cart, String lineId, String itemName) {
        if (!lineId.isBlank()) {
            return cart.line(lineId.trim()).orElseThrow(() -> new ToolError("line_not_found", "I couldn't find that in your order."));
        }
        if (itemName.isBlank()) {
            throw new ToolError("missing_argument", "Which item do you mean?");
        }
        Optional<MenuItem> item = menu.find(itemName);
        Optional<String> category = item.isPresent() ? Optional.empty() : menu.index().categoryNamed(itemName);
        List<CartLine> matching = cart.lines().stream().filter(l -> item.isPresent()
                ? l.itemId().equals(item.get().id())
                : category.isPresent() && menu.item(l.itemId()).map(i -> i.categoryId().equals(category.get())).orElse(false))
                .toList();
        if (matching.isEmpty()) {
            String name = item.map(MenuItem::name).orElse(itemName.trim());
            throw new ToolError("line_not_found", "There is no " + name + " in your order.");
        }
        return matching.getLast();
    }

    private static OptionalInt quantity(JsonNode args) {
        JsonNode q = args.path("quantity");
        if (q.isMissingNode() || q.isNull()) {
            return OptionalInt.empty();
        }
        OptionalInt value = q.isIntegralNumber() ? OptionalInt.of(q.asInt())
                : q.isTextual() ? NumberWords.parse(q.asText().trim()) : OptionalInt.empty();
        if (value.isEmpty()) {
            throw new ToolError("bad_quantity", "How many would you like?");
        }
        if (value.getAsInt() < 1 || value.getAsInt() > MAX_QUANTITY) {
            throw new ToolError("quantity_out_of_range", "I can take between one and twenty of each item.");
        }
        return value;
    }

    private static String text(JsonNode args, String field) {
        JsonNode node = args.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText("") : "";
    }
}
