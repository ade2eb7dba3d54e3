package dev.parley.examples.ordering;

import java.util.List;

/**
 * A menu section. {@code words} are the generic nouns callers use for any item of it ("pizza", "drink").
 */
public record Category(String id, String name, List<String> words, List<String> itemIds) {
    public Category {
        words = List.copyOf(words);
        itemIds = List.copyOf(itemIds);
    }
}
