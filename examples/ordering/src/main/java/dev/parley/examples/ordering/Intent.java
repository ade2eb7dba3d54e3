package dev.parley.examples.ordering;

import java.util.List;

/** What one caller utterance means, before the dialogue state is taken into account. */
sealed interface Intent {
    /**
     * One item as the caller asked for it.
     *
     * @param quantity how many (articles count as one); 0 when not said
     * @param counted true when the quantity was an explicit number ("two", "3"), not an article
     * @param size the size said, or ""
     * @param modifiers modifier ids, then unrecognised modifier phrases as said ("extra tomatoes")
     */
    record ItemRequest(String itemId, int quantity, boolean counted, String size, List<String> modifiers) {
        public ItemRequest {
            modifiers = List.copyOf(modifiers);
        }

        ItemRequest withSize(String newSize) {
            return new ItemRequest(itemId, quantity, counted, newSize, modifiers);
        }
    }

    /** What a correction or removal points at: an item, a category ("the pizza"), or neither (the last line). */
    record Ref(String itemId, String categoryId) {
        static final Ref LAST = new Ref("", "");
    }

    /** New items; {@code thenDone} when the caller also said that is all. */
    record Order(List<ItemRequest> items, boolean thenDone) implements Intent {}

    /** A category without a specific item ("a large pizza"). */
    record Vague(String categoryId) implements Intent {}

    /** "make that three", "make the pizza a medium", "actually make it a sprite", "add bacon to the burger". */
    record Correct(List<ItemRequest> items, Ref target, int quantity, String size, List<String> modifiers) implements Intent {}

    /** "cancel the fries"; {@code everything} for "cancel my order" / "start over". */
    record Remove(List<Ref> targets, boolean everything) implements Intent {}

    record AskPrice(List<ItemRequest> items) implements Intent {}

    record AskAbout(String itemId) implements Intent {}

    record AskCategory(String categoryId) implements Intent {}

    record AskMenu() implements Intent {}

    record AskUnknown(String query) implements Intent {}

    /** "what do i have so far", "what's my total". */
    record ReadBack() implements Intent {}

    /** "that's all"; {@code affirmative} when it also says yes ("yes that's it"). */
    record Done(boolean affirmative) implements Intent {}

    record Affirm() implements Intent {}

    record Deny() implements Intent {}

    record Human() implements Intent {}

    record Greeting() implements Intent {}

    /** A size on its own ("large", "make them large" is a correction). */
    record SizeAnswer(String size) implements Intent {}

    /** Keys the caller pressed. */
    record Keys(String digits) implements Intent {}

    record Unknown() implements Intent {}
}
