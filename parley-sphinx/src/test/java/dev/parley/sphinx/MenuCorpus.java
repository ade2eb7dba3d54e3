package dev.parley.sphinx;

import java.util.ArrayList;
import java.util.List;

/**
 * Example sentences generated from a small restaurant menu, the way an ordering agent would
 * produce its recognition corpus: templates × quantities × sizes × items, plus confirmations.
 */
final class MenuCorpus {
    static final List<String> ITEMS = List.of(
            "pepperoni pizza", "cheese pizza", "veggie pizza", "margherita pizza", "hawaiian pizza",
            "cheeseburger", "hamburger", "chicken sandwich", "fries", "onion rings", "salad",
            "coke", "diet coke", "sprite", "lemonade", "water");
    static final List<String> SIZES = List.of("", "small ", "medium ", "large ");
    static final List<String> QUANTITIES = List.of("a", "one", "two", "three");
    static final List<String> STARTS = List.of(
            "i would like", "i'd like", "can i get", "could i have", "i want", "give me", "i'll have");
    static final List<String> MODIFIERS = List.of("with no onions", "with extra cheese", "without pickles", "with ice");

    private MenuCorpus() {}

    static List<String> sentences() {
        List<String> out = new ArrayList<>();
        List<String> phrases = new ArrayList<>();
        for (String q : QUANTITIES) {
            for (String size : SIZES) {
                for (String item : ITEMS) {
                    phrases.add(q + " " + size + (q.equals("a") || q.equals("one") ? item : plural(item)));
                }
            }
        }
        for (int i = 0; i < phrases.size(); i++) {
            String start = STARTS.get(i % STARTS.size());
            out.add(start + " " + phrases.get(i));
            out.add(phrases.get(i) + " please");
            String other = phrases.get((i * 7 + 3) % phrases.size());
            out.add(STARTS.get((i + 3) % STARTS.size()) + " " + phrases.get(i) + " and " + other);
            out.add(phrases.get(i) + " " + MODIFIERS.get(i % MODIFIERS.size()));
        }
        for (String item : ITEMS) {
            for (String size : SIZES) {
                out.add("how much is a " + size + item);
                out.add("how much is the " + size + item);
            }
            out.add("add a " + item);
            out.add("add extra cheese to the " + item);
            out.add("remove the " + item);
            out.add("cancel the " + item);
            out.add("do you have " + plural(item));
        }
        out.addAll(List.of(
                "yes", "yes please", "yes that is correct", "that is correct", "correct", "that's right",
                "no", "no thank you", "that is all", "that's all", "no that is all", "no thanks",
                "what sizes do you have", "what do you recommend", "can i pay by card", "for delivery",
                "for pickup", "start over", "cancel my order", "read back my order"));
        return out;
    }

    private static String plural(String item) {
        if (item.endsWith("s") || item.equals("water")) {
            return item;
        }
        return item.endsWith("sandwich") ? item + "es" : item + "s";
    }
}
