package dev.parley.examples.ordering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a menu from JSON and validates it: unique ids, positive prices, default sizes that exist, modifiers and combo
 * contents that exist, and aliases that name exactly one item. Every problem found is listed in one {@link MenuException}.
 */
public final class MenuLoader {
    static final String BUNDLED = "/dev/parley/examples/ordering/menu.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "[a-z0-9_]+";
    private static final String SPOKEN = "[a-z][a-z' ]*";

    private MenuLoader() {}

    static Menu bundled() {
        try (InputStream in = MenuLoader.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new MenuException("bundled menu not found: " + BUNDLED);
            }
            return read(in);
        } catch (IOException e) {
            throw new MenuException("cannot read bundled menu", e);
        }
    }

    /** Reads and validates a menu; the stream is not closed. */
    public static Menu read(InputStream json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new MenuException("menu is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MenuException("cannot read menu", e);
        }
    }

    /** Reads and validates a menu from JSON text. */
    public static Menu parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new MenuException("menu is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Menu parse(JsonNode root) {
        List<String> errors = new ArrayList<>();
        String restaurant = root.path("restaurant").asText("");
        if (restaurant.isBlank()) {
            errors.add("restaurant name is missing");
        }
        List<Modifier> modifiers = new ArrayList<>();
        Set<String> modifierIds = new HashSet<>();
        for (JsonNode m : root.path("modifiers")) {
            String id = m.path("id").asText("");
            checkId(id, "modifier", errors);
            if (!modifierIds.add(id)) {
                errors.add("duplicate modifier id: " + id);
            }
            long price = m.path("price").asLong(-1);
            if (price < 0 || !m.path("price").isIntegralNumber()) {
                errors.add("modifier " + id + ": price must be a whole number of cents >= 0");
            }
            String name = m.path("name").asText("");
            checkSpoken(name, "modifier " + id + " name", errors);
            List<String> aliases = strings(m.path("aliases"));
            aliases.forEach(a -> checkSpoken(a, "modifier " + id + " alias", errors));
            modifiers.add(new Modifier(id, name, Math.max(price, 0), aliases));
        }
        List<Category> categories = new ArrayList<>();
        List<MenuItem> items = new ArrayList<>();
        Set<String> itemIds = new HashSet<>();
        for (JsonNode c : root.path("categories")) {
            String categoryId = c.path("id").asText("");
            checkId(categoryId, "category", errors);
            List<String> categoryModifiers = strings(c.path("modifiers"));
            List<String> ids = new ArrayList<>();
            for (JsonNode i : c.path("items")) {
                MenuItem item = item(i, categoryId, categoryModifiers, errors);
                if (!itemIds.add(item.id())) {
                    errors.add("duplicate item id: " + item.id());
                }
                ids.add(item.id());
                items.add(item);
            }
            if (ids.isEmpty()) {
                errors.add("category " + categoryId + " has no items");
            }
            List<String> words = strings(c.path("words"));
            words.forEach(w -> checkSpoken(w, "category " + categoryId + " word", errors));
            categories.add(new Category(categoryId, c.path("name").asText(categoryId), words, ids));
        }
        if (items.isEmpty()) {
            errors.add("menu has no items");
        }
        crossCheck(items, modifierIds, itemIds, modifiers, errors);
        if (!errors.isEmpty()) {
            throw new MenuException("invalid menu: " + String.join("; ", errors));
        }
        return new Menu(restaurant, categories, items, modifiers);
    }

    private static MenuItem item(JsonNode i, String categoryId, List<String> categoryModifiers, List<String> errors) {
        String id = i.path("id").asText("");
        checkId(id, "item", errors);
        String name = i.path("name").asText("");
        checkSpoken(name, "item " + id + " name", errors);
        String plural = i.path("plural").asText(name.matches(".*(s|x|ch|sh)$") ? name + "es" : name + "s");
        checkSpoken(plural, "item " + id + " plural", errors);
        List<SizePrice> sizes = new ArrayList<>();
        var fields = i.path("sizes").properties();
        for (Map.Entry<String, JsonNode> size : fields) {
            checkSpoken(size.getKey(), "item " + id + " size", errors);
            if (!size.getValue().isIntegralNumber() || size.getValue().asLong() <= 0) {
                errors.add("item " + id + " size " + size.getKey() + ": price must be a whole number of cents > 0");
                continue;
            }
            sizes.add(new SizePrice(size.getKey(), size.getValue().asLong()));
        }
        if (sizes.isEmpty()) {
            errors.add("item " + id + " offers no sizes");
        }
        String defaultSize = i.path("defaultSize").asText("");
        if (!defaultSize.isEmpty() && sizes.stream().noneMatch(s -> s.size().equals(defaultSize))) {
            errors.add("item " + id + ": default size " + defaultSize + " is not offered");
        }
        List<String> aliases = strings(i.path("aliases"));
        aliases.forEach(a -> checkSpoken(a, "item " + id + " alias", errors));
        List<String> modifiers = i.has("modifiers") ? strings(i.path("modifiers")) : categoryModifiers;
        String description = i.path("description").asText("");
        if (description.isBlank()) {
            errors.add("item " + id + " has no description");
        }
        return new MenuItem(id, name, plural, categoryId, aliases, sizes, defaultSize, description,
                strings(i.path("ingredients")), modifiers, strings(i.path("includes")));
    }

    private static void crossCheck(List<MenuItem> items, Set<String> modifierIds, Set<String> itemIds,
            List<Modifier> modifiers, List<String> errors) {
        Map<String, String> spokenItem = new HashMap<>();
        for (MenuItem item : items) {
            for (String m : item.modifierIds()) {
                if (!modifierIds.contains(m)) {
                    errors.add("item " + item.id() + " allows unknown modifier " + m);
                }
            }
            for (String part : item.includes()) {
                if (!itemIds.contains(part) || part.equals(item.id())) {
                    errors.add("combo " + item.id() + " includes unknown item " + part);
                }
            }
            List<String> names = new ArrayList<>(item.aliases());
            names.add(item.name());
            names.add(item.plural());
            for (String alias : names) {
                String key = MenuIndex.key(alias);
                String previous = spokenItem.putIfAbsent(key, item.id());
                if (previous != null && !previous.equals(item.id())) {
                    errors.add("'" + alias + "' names both " + previous + " and " + item.id());
                }
            }
        }
        Map<String, String> spokenModifier = new HashMap<>();
        for (Modifier modifier : modifiers) {
            List<String> names = new ArrayList<>(modifier.aliases());
            names.add(modifier.name());
            for (String alias : names) {
                String previous = spokenModifier.putIfAbsent(MenuIndex.key(alias), modifier.id());
                if (previous != null && !previous.equals(modifier.id())) {
                    errors.add("'" + alias + "' names both modifiers " + previous + " and " + modifier.id());
                }
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode node : array) {
            out.add(node.asText());
        }
        return out;
    }

    private static void checkId(String id, String what, List<String> errors) {
        if (!id.matches(ID)) {
            errors.add(what + " id '" + id + "' must be lowercase letters, digits and _");
        }
    }

    private static void checkSpoken(String text, String what, List<String> errors) {
        if (!text.matches(SPOKEN)) {
            errors.add(what + " '" + text + "' must be lowercase words");
        }
    }
}
