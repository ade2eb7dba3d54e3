package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code search_menu} tool: items by name, a category's items, the whole menu, or items mentioning a word. */
final class MenuSearch {
    private static final Set<String> WHOLE_MENU = Set.of("", "menu", "everything", "all", "the menu", "anything");
    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "with", "and", "do", "you", "have", "any",
            "what", "is", "on", "in", "some", "your", "kind", "kinds", "type", "types");

    private final Menu menu;
    private final ToolJson json;

    MenuSearch(Menu menu, ToolJson json) {
        this.menu = menu;
        this.json = json;
    }

    String search(String query) {
        String q = String.join(" ", MenuIndex.tokens(query));
        if (WHOLE_MENU.contains(q)) {
            return wholeMenu();
        }
        List<String> tokens = MenuIndex.tokens(q);
        List<MenuIndex.Match> items = menu.index().items(tokens);
        if (items.isEmpty()) {
            List<MenuIndex.Match> categories = menu.index().categories(tokens);
            if (!categories.isEmpty()) {
                String categoryId = categories.getFirst().id();
                ObjectNode result = ToolJson.ok();
                result.put("category", categoryId);
                ArrayNode list = result.putArray("items");
                menu.itemsIn(categoryId).forEach(i -> list.add(json.itemSummary(i)));
                return result.toString();
            }
        }
        Set<MenuItem> found = new LinkedHashSet<>();
        items.forEach(m -> menu.item(m.id()).ifPresent(found::add));
        if (found.isEmpty()) {
            found.addAll(byWord(tokens));
        }
        ObjectNode result = ToolJson.ok();
        result.put("query", q);
        ArrayNode list = result.putArray("items");
        found.forEach(i -> list.add(json.itemDetail(i)));
        if (found.isEmpty()) {
            result.put("message", "Sorry, we don't have that on the menu.");
        }
        return result.toString();
    }

    private List<MenuItem> byWord(List<String> tokens) {
        Set<String> words = new LinkedHashSet<>();
        for (String t : tokens) {
            if (!STOP.contains(t) && t.length() > 2) {
                words.add(MenuIndex.stem(t));
            }
        }
        if (words.isEmpty()) {
            return List.of();
        }
        return menu.items().stream().filter(item -> {
            String text = item.name() + " " + String.join(" ", item.ingredients()) + " " + item.description();
            List<String> itemWords = MenuIndex.stems(MenuIndex.tokens(text));
            return words.stream().anyMatch(itemWords::contains);
        }).toList();
    }

    private String wholeMenu() {
        ObjectNode result = ToolJson.ok();
        ArrayNode categories = result.putArray("categories");
        for (Category c : menu.categories()) {
            ObjectNode node = categories.addObject().put("category", c.id()).put("name", c.name());
            ArrayNode names = node.putArray("items");
            menu.itemsIn(c.id()).forEach(i -> names.add(i.name()));
        }
        return result.toString();
    }
}
