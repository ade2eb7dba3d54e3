package dev.parley.examples.ordering;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A restaurant menu: categories of items with sizes and prices, and the modifiers items allow. Immutable and
 * thread-safe. Load the bundled Tony's Pizza menu with {@link #tonysPizza()} or any menu file with {@link MenuLoader}.
 */
public final class Menu {
    private final String restaurant;
    private final List<Category> categories;
    private final Map<String, MenuItem> items;
    private final Map<String, Modifier> modifiers;
    private final Map<String, Category> categoriesById;
    private final MenuIndex index;
    private volatile List<String> phrases = List.of();

    Menu(String restaurant, List<Category> categories, List<MenuItem> items, List<Modifier> modifiers) {
        this.restaurant = restaurant;
        this.categories = List.copyOf(categories);
        this.items = indexBy(items, MenuItem::id);
        this.modifiers = indexBy(modifiers, Modifier::id);
        this.categoriesById = indexBy(categories, Category::id);
        this.index = new MenuIndex(this);
    }

    /** The bundled "Tony's Pizza" menu. */
    public static Menu tonysPizza() {
        return MenuLoader.bundled();
    }

    public String restaurant() {
        return restaurant;
    }

    public List<Category> categories() {
        return categories;
    }

    /** All items in menu order. */
    public List<MenuItem> items() {
        return List.copyOf(items.values());
    }

    public List<Modifier> modifiers() {
        return List.copyOf(modifiers.values());
    }

    public Optional<MenuItem> item(String id) {
        return Optional.ofNullable(items.get(id));
    }

    public Optional<Modifier> modifier(String id) {
        return Optional.ofNullable(modifiers.get(id));
    }

    public Optional<Category> category(String id) {
        return Optional.ofNullable(categoriesById.get(id));
    }

    public List<MenuItem> itemsIn(String categoryId) {
        return items.values().stream().filter(i -> i.categoryId().equals(categoryId)).toList();
    }

    /** The modifiers an item allows, in the item's order. */
    public List<Modifier> modifiersOf(MenuItem item) {
        return item.modifierIds().stream().map(modifiers::get).toList();
    }

    /** Resolves what a caller or a model called an item ("pepperonis", "coca cola", "diet_coke") to the item. */
    public Optional<MenuItem> find(String spoken) {
        MenuItem byId = items.get(spoken.trim());
        if (byId != null) {
            return Optional.of(byId);
        }
        return index.itemNamed(spoken).flatMap(this::item);
    }

    /** Resolves a modifier by id, name or alias ("no onions", "without onions", "no_onions"). */
    public Optional<Modifier> findModifier(String spoken) {
        Modifier byId = modifiers.get(spoken.trim());
        if (byId != null) {
            return Optional.of(byId);
        }
        return index.modifierNamed(spoken).flatMap(this::modifier);
    }

    /**
     * Example caller sentences generated from this menu (orders of every item in every size with quantities one to
     * five, modifiers, corrections, removals, questions, confirmations, greetings, hand-off), lowercase words only. A
     * speech recogniser's language model is built from them.
     */
    public List<String> phrases() {
        List<String> cached = phrases;
        if (cached.isEmpty()) {
            cached = CorpusGenerator.generate(this);
            phrases = cached;
        }
        return cached;
    }

    /** The vocabulary of {@link #phrases()}: every distinct word, sorted. */
    public List<String> words() {
        TreeSet<String> words = new TreeSet<>();
        for (String phrase : phrases()) {
            for (String word : phrase.split(" ")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return List.copyOf(words);
    }

    MenuIndex index() {
        return index;
    }

    private static <T> Map<String, T> indexBy(List<T> values, java.util.function.Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T value : values) {
            map.put(key.apply(value), value);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return "Menu[" + restaurant + ", " + items.size() + " items]";
    }
}
