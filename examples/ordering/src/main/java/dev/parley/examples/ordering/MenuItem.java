package dev.parley.examples.ordering;

import java.util.List;
import java.util.Optional;

/**
 * One thing a caller can order.
 *
 * @param id stable identifier ("pepperoni_pizza")
 * @param name spoken singular name ("pepperoni pizza")
 * @param plural spoken plural name ("pepperoni pizzas")
 * @param categoryId the category it belongs to
 * @param aliases other names callers use
 * @param sizes the sizes offered, in menu order, with prices
 * @param defaultSize the size used when the caller names none, or "" when the caller must choose
 * @param description a short speakable description
 * @param ingredients what comes on it
 * @param modifierIds the modifiers allowed on it
 * @param includes for combos, the items it contains
 */
public record MenuItem(
        String id,
        String name,
        String plural,
        String categoryId,
        List<String> aliases,
        List<SizePrice> sizes,
        String defaultSize,
        String description,
        List<String> ingredients,
        List<String> modifierIds,
        List<String> includes) {
    public MenuItem {
        aliases = List.copyOf(aliases);
        sizes = List.copyOf(sizes);
        ingredients = List.copyOf(ingredients);
        modifierIds = List.copyOf(modifierIds);
        includes = List.copyOf(includes);
    }

    public Optional<SizePrice> size(String size) {
        return sizes.stream().filter(s -> s.size().equals(size)).findFirst();
    }

    /** True when the caller has to pick a size (several offered, no default). */
    public boolean needsSizeChoice() {
        return defaultSize.isEmpty() && sizes.size() > 1;
    }

    /** The size used when the caller names none, if there is one. */
    public Optional<String> implicitSize() {
        if (!defaultSize.isEmpty()) {
            return Optional.of(defaultSize);
        }
        return sizes.size() == 1 ? Optional.of(sizes.getFirst().size()) : Optional.empty();
    }

    public boolean singleSize() {
        return sizes.size() == 1;
    }

    public List<String> sizeNames() {
        return sizes.stream().map(SizePrice::size).toList();
    }

    public boolean allows(String modifierId) {
        return modifierIds.contains(modifierId);
    }
}
