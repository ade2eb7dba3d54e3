package dev.parley.examples.ordering;

import java.util.ArrayList;
import java.util.List;

/** The agent's words: short, speakable sentences built from menu items and cart lines. */
final class Replies {
    private final Menu menu;

    Replies(Menu menu) {
        this.menu = menu;
    }

    /** "a, b and c". */
    static String list(List<String> parts) {
        return join(parts, "and");
    }

    /** "a, b or c". */
    static String alternatives(List<String> parts) {
        return join(parts, "or");
    }

    private static String join(List<String> parts, String last) {
        if (parts.isEmpty()) {
            return "";
        }
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " " + last + " " + parts.getLast();
    }

    static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String article(String phrase) {
        return phrase.matches("^[aeiou].*") ? "an " + phrase : "a " + phrase;
    }

    String greeting() {
        return "Hi, thanks for calling " + menu.restaurant() + "! What can I get for you?";
    }

    String notUnderstood() {
        return "Sorry, I didn't catch that. What would you like to order?";
    }

    String askSize(List<Intent.ItemRequest> missing) {
        List<String> names = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        for (Intent.ItemRequest request : missing) {
            MenuItem item = menu.item(request.itemId()).orElseThrow();
            String name = "the " + (request.quantity() > 1 ? item.plural() : item.name());
            if (!names.contains(name)) {
                names.add(name);
            }
            item.sizeNames().stream().filter(s -> !sizes.contains(s)).forEach(sizes::add);
        }
        return "What size would you like for " + list(names) + ": " + alternatives(sizes) + "?";
    }

    String whichItem(String categoryId) {
        Category category = menu.category(categoryId).orElseThrow();
        String noun = category.words().isEmpty() ? category.name() : category.words().getFirst();
        List<String> names = menu.itemsIn(categoryId).stream().map(MenuItem::name).limit(6).toList();
        return "Sure, which " + noun + " would you like? We have " + list(names) + ".";
    }

    /** "two large pepperoni pizzas with extra cheese". */
    String line(Conversation.LineView line) {
        MenuItem item = menu.item(line.itemId()).orElse(null);
        String name = item == null ? line.name() : line.quantity() == 1 ? item.name() : item.plural();
        String sized = item == null || item.singleSize() ? name : line.size() + " " + name;
        String counted = counted(item, line.quantity(), sized);
        if (line.modifiers().isEmpty()) {
            return counted;
        }
        return counted + " " + list(line.modifiers().stream().map(Replies::modifierPhrase).toList());
    }

    /** "a coke", "two cokes", "fries", "two orders of fries" (names that are already plural take no article). */
    static String counted(@org.jspecify.annotations.Nullable MenuItem item, int quantity, String sized) {
        boolean massNoun = item != null && pluralName(item);
        if (quantity == 1) {
            return massNoun ? sized : article(sized);
        }
        return NumberWords.words(quantity) + (massNoun ? " orders of " : " ") + sized;
    }

    /** Whether the item's name is already plural ("fries", "garlic knots"). */
    static boolean pluralName(MenuItem item) {
        return item.name().equals(item.plural()) && item.name().endsWith("s");
    }

    static String is(MenuItem item) {
        return pluralName(item) ? " are " : " is ";
    }

    /** "the fries", "the two cokes". */
    String the(Conversation.LineView line) {
        MenuItem item = menu.item(line.itemId()).orElse(null);
        String name = item == null ? line.name() : line.quantity() == 1 ? item.name() : item.plural();
        return "the " + name;
    }

    static String modifierPhrase(String name) {
        if (name.startsWith("no ") || name.startsWith("with ") || name.contains(" instead")) {
            return name;
        }
        if (name.startsWith("add ")) {
            return "with " + name.substring(4);
        }
        if (name.startsWith("side of ")) {
            return "with a " + name;
        }
        return "with " + name;
    }

    String readBack(Conversation.CartView cart, boolean askToConfirm) {
        if (cart.lines().isEmpty()) {
            return "You don't have anything in your order yet. What can I get for you?";
        }
        if (cart.confirmed()) {
            return "Your order is already placed. Your order number is " + NumberWords.digits(cart.orderNumber()) + ".";
        }
        String items = list(cart.lines().stream().map(this::line).toList());
        return "You have " + items + ". Your total is " + Money.speak(cart.totalCents()) + "."
                + (askToConfirm ? " Shall I place the order?" : " Anything else?");
    }

    String confirmed(Conversation.CartView cart) {
        return "Great, your order is placed! Your order number is " + NumberWords.digits(cart.orderNumber())
                + ", and your total is " + Money.speak(cart.totalCents())
                + ". It will be ready in about twenty minutes. Thanks for calling " + menu.restaurant() + "!";
    }

    String transferring() {
        return "Sure, I'll connect you with someone from our team. Please hold for a moment.";
    }

    String price(MenuItem item, String size) {
        if (item.singleSize()) {
            return capitalize(counted(item, 1, item.name())) + is(item) + Money.speak(item.sizes().getFirst().priceCents()) + ".";
        }
        if (!size.isEmpty() && item.size(size).isPresent()) {
            return capitalize(counted(item, 1, size + " " + item.name())) + is(item) + Money.speak(item.size(size).get().priceCents()) + ".";
        }
        List<String> parts = item.sizes().stream()
                .map(s -> Money.speak(s.priceCents()) + " for " + article(s.size())).toList();
        return "The " + item.name() + is(item) + list(parts) + ".";
    }

    String about(MenuItem item) {
        if (!item.includes().isEmpty()) {
            List<String> parts = item.includes().stream().map(id -> menu.item(id).orElseThrow())
                    .map(i -> counted(i, 1, i.name())).toList();
            return "The " + item.name() + " comes with " + list(parts) + ", for " + Money.speak(item.sizes().getFirst().priceCents()) + ".";
        }
        if (item.ingredients().isEmpty()) {
            return capitalize(counted(item, 1, item.name())) + is(item) + item.description() + ".";
        }
        return "The " + item.name() + " comes with " + list(item.ingredients()) + ".";
    }

    String category(String categoryId) {
        Category category = menu.category(categoryId).orElseThrow();
        List<String> names = menu.itemsIn(categoryId).stream().map(MenuItem::name).toList();
        return "For " + category.name() + " we have " + list(names) + ".";
    }

    String wholeMenu() {
        return "We have " + list(menu.categories().stream().map(Category::name).toList()) + ". What can I get for you?";
    }
}
