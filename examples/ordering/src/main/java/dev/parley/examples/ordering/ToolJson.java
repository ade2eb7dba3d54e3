package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders carts, lines, menu items and errors as the compact JSON the tools return to the model. */
final class ToolJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final Menu menu;

    ToolJson(Menu menu) {
        this.menu = menu;
    }

    static ObjectNode ok() {
        return MAPPER.createObjectNode().put("ok", true);
    }

    /** An error the model should relay or act on; {@code message} is short and speakable. */
    static String error(String code, String message) {
        return errorNode(code, message).toString();
    }

    static ObjectNode errorNode(String code, String message) {
        return MAPPER.createObjectNode().put("ok", false).put("error", code).put("message", message);
    }

    ObjectNode line(CartLine line) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("line_id", line.lineId());
        node.put("item", line.itemId());
        node.put("name", menu.item(line.itemId()).map(MenuItem::name).orElse(line.itemId()));
        node.put("size", line.size());
        node.put("quantity", line.quantity());
        ArrayNode modifiers = node.putArray("modifiers");
        line.modifierIds().forEach(m -> modifiers.add(menu.modifier(m).map(Modifier::name).orElse(m)));
        node.put("unit_price", Money.format(line.unitPriceCents()));
        node.put("line_total", Money.format(line.lineTotalCents()));
        return node;
    }

    ObjectNode cart(Cart cart) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("status", cart.status().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode lines = node.putArray("lines");
        cart.lines().forEach(l -> lines.add(line(l)));
        node.put("item_count", cart.lines().stream().mapToInt(CartLine::quantity).sum());
        node.put("total", Money.format(cart.totalCents()));
        cart.order().ifPresent(n -> node.put("order_number", n));
        return node;
    }

    ObjectNode itemSummary(MenuItem item) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("item", item.id());
        node.put("name", item.name());
        ObjectNode prices = node.putObject("prices");
        item.sizes().forEach(s -> prices.put(s.size(), Money.format(s.priceCents())));
        return node;
    }

    ObjectNode itemDetail(MenuItem item) {
        ObjectNode node = itemSummary(item);
        node.put("category", item.categoryId());
        if (!item.defaultSize().isEmpty()) {
            node.put("default_size", item.defaultSize());
        }
        node.put("description", item.description());
        ArrayNode ingredients = node.putArray("ingredients");
        item.ingredients().forEach(ingredients::add);
        if (!item.includes().isEmpty()) {
            ArrayNode includes = node.putArray("includes");
            item.includes().forEach(i -> includes.add(menu.item(i).map(MenuItem::name).orElse(i)));
        }
        ArrayNode modifiers = node.putArray("modifiers");
        for (Modifier m : menu.modifiersOf(item)) {
            modifiers.add(MAPPER.createObjectNode().put("name", m.name()).put("price", Money.format(m.priceCents())));
        }
        return node;
    }
}
