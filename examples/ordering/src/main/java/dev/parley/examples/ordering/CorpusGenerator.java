package dev.parley.examples.ordering;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Generates what callers say to an order-taker for a menu: orders of every item in every size with quantities one to
 * five, aliases, modifiers, several items at once, corrections, removals, questions, confirmations, greetings and
 * hand-off requests. Lowercase words, no punctuation or digits, no duplicates, deterministic order.
 */
final class CorpusGenerator {
    private static final List<String> ORDER_PREFIXES = List.of("", "i would like", "can i get", "can i have", "i want",
            "let me get", "give me", "i'll have", "i'll take", "could i get", "i'd like", "and", "also", "add");
    private static final List<String> FIXED = List.of(
            "hi", "hello", "hey", "hi there", "good morning", "good afternoon", "good evening", "hello is this tony's pizza",
            "hi i'd like to place an order", "i want to order", "i'd like to order for pickup",
            "yes", "yeah", "yep", "yes please", "sure", "correct", "that's correct", "that's right", "that is correct",
            "sounds good", "go ahead", "perfect", "yes place the order", "please place the order", "okay",
            "no", "nope", "no thanks", "no thank you", "not quite", "no that's wrong", "wait",
            "that's all", "that's it", "that is all", "no that's it", "nothing else", "that will be all", "that'll be all",
            "i'm done", "i think that's it", "that's everything", "yes that's all", "i'm good", "all set",
            "what do i have", "what do i have so far", "what's my total", "read back my order", "repeat my order",
            "what's in my order", "how much is my order",
            "what's on the menu", "what do you have", "what do you recommend", "can i see the menu",
            "let me talk to a person", "can i speak to a manager", "i want to talk to a real person",
            "transfer me to someone", "can i talk to someone", "representative", "operator", "i need a human",
            "let me speak to a person please", "get me a manager",
            "small", "medium", "large", "regular", "a small", "a medium", "a large", "large please", "make them large",
            "make it a large", "make them all medium", "make it small", "make that a medium",
            "actually make that", "actually", "make that one", "make it two", "make it three", "make that four",
            "make that five", "actually make that two", "actually make that three", "actually just one",
            "with extra cheese", "no onions", "extra cheese please", "with bacon", "add bacon",
            "cancel my order", "cancel everything", "start over", "remove everything", "never mind",
            "sorry", "um", "uh", "hold on", "one second", "thank you", "thanks", "bye", "goodbye");

    private CorpusGenerator() {}

    static List<String> generate(Menu menu) {
        Set<String> out = new LinkedHashSet<>();
        FIXED.forEach(out::add);
        List<MenuItem> items = menu.items();
        int rotation = 0;
        for (MenuItem item : items) {
            List<String> sizes = new ArrayList<>(item.singleSize() ? List.of("") : item.sizeNames());
            if (!item.needsSizeChoice() && !item.singleSize()) {
                sizes.add("");
            }
            for (int q = 1; q <= 5; q++) {
                for (String size : sizes) {
                    String prefix = ORDER_PREFIXES.get(rotation++ % ORDER_PREFIXES.size());
                    out.add(join(prefix, phrase(item, q, size, q == 1 ? "one" : NumberWords.words(q))));
                    if (q == 1) {
                        out.add(join(ORDER_PREFIXES.get(rotation++ % ORDER_PREFIXES.size()), phrase(item, 1, size, "")));
                    }
                }
            }
            for (String alias : item.aliases()) {
                out.add(join(ORDER_PREFIXES.get(rotation++ % ORDER_PREFIXES.size()), Replies.article(alias)));
                out.add(alias);
            }
            String sample = item.sizeNames().getLast();
            for (Modifier modifier : menu.modifiersOf(item)) {
                out.add(phrase(item, 1, item.singleSize() ? "" : sample, "") + " " + Replies.modifierPhrase(modifier.name()));
                out.add("can i get that " + Replies.modifierPhrase(modifier.name()));
            }
            String name = item.name();
            out.add("how much is " + Replies.article(name));
            out.add("how much is the " + name);
            out.add("how much are the " + item.plural());
            if (!item.singleSize()) {
                item.sizeNames().forEach(s -> out.add("how much is " + Replies.article(s + " " + name)));
            }
            out.add("what comes on the " + name);
            out.add("what's on the " + name);
            out.add("what comes with the " + name);
            out.add("do you have " + item.plural());
            out.add("cancel the " + name);
            out.add("remove the " + name);
            out.add("take off the " + name);
            out.add("i don't want the " + name + " anymore");
            out.add("actually make that " + Replies.article(name) + " instead");
            out.add("make the " + name + " " + Replies.article(sample));
            out.add("actually make that two " + item.plural());
        }
        for (Modifier modifier : menu.modifiers()) {
            modifier.aliases().forEach(out::add);
            out.add(modifier.name());
        }
        for (Category category : menu.categories()) {
            out.add("what " + category.name() + " do you have");
            out.add("what kind of " + category.name() + " do you have");
            out.add("do you have " + category.name());
            for (String word : category.words()) {
                out.add("make the " + word + " a large");
                out.add("i want " + Replies.article(word));
                out.add("cancel the " + word);
            }
        }
        for (int i = 0; i < items.size(); i++) {
            MenuItem a = items.get(i);
            MenuItem b = items.get((i * 7 + 3) % items.size());
            MenuItem c = items.get((i * 11 + 5) % items.size());
            if (a.equals(b)) {
                continue;
            }
            String sizeA = a.singleSize() ? "" : a.sizeNames().getLast();
            String sizeB = b.singleSize() ? "" : b.sizeNames().getFirst();
            int q = 1 + i % 5;
            out.add(join(ORDER_PREFIXES.get(i % 11), phrase(a, q, sizeA, "") + " and " + phrase(b, 1, sizeB, "")));
            out.add(phrase(b, 2, sizeB, "") + " " + phrase(c, 1, "", "") + " and " + phrase(a, 1, sizeA, ""));
            out.add(phrase(a, 1, sizeA, "") + " and " + phrase(c, 1, "", "") + " that's all");
        }
        return out.stream().map(s -> s.trim().replaceAll(" +", " ")).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** "two large pepperoni pizzas"; {@code one} replaces the article for a single item when not empty. */
    private static String phrase(MenuItem item, int quantity, String size, String one) {
        String name = quantity == 1 ? item.name() : item.plural();
        String sized = size.isEmpty() ? name : size + " " + name;
        if (quantity == 1 && !one.isEmpty()) {
            return one + " " + sized;
        }
        return Replies.counted(item, quantity, sized);
    }

    private static String join(String prefix, String rest) {
        return prefix.isEmpty() ? rest : prefix + " " + rest;
    }
}
