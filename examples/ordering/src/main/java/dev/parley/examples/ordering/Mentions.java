package dev.parley.examples.ordering;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything a sentence names on the menu, with quantities, sizes and modifiers attached to the items they belong
 * to: "two large pepperoni pizzas with extra cheese and a diet coke" gives two item requests.
 */
record Mentions(
        List<Intent.ItemRequest> items,
        List<Integer> itemStarts,
        List<String> categories,
        List<String> freeModifiers,
        List<String> freeSizes,
        int freeNumber,
        List<String> words) {

    private static final Set<String> TRIGGERS = Set.of("with", "no", "extra", "without", "add", "hold", "plus", "double",
            "more", "light", "on");
    private static final Set<String> SKIP_BEFORE = Set.of("of", "order", "orders", "the", "more", "additional", "piece",
            "pieces", "size", "sized", "please", "um", "uh", "like", "extra", "x", "cans", "can", "bottles", "bottle");
    private static final Set<String> NOT_MODIFIER_WORDS = Set.of("i", "a", "an", "the", "that", "thank", "thanks", "it",
            "more", "problem", "worries", "way", "this", "please", "and", "to", "one", "sir", "ma'am");

    Mentions {
        items = List.copyOf(items);
        itemStarts = List.copyOf(itemStarts);
        categories = List.copyOf(categories);
        freeModifiers = List.copyOf(freeModifiers);
        freeSizes = List.copyOf(freeSizes);
        words = List.copyOf(words);
    }

    boolean hasItems() {
        return !items.isEmpty();
    }

    /** Whether the phrase appears as whole words. */
    boolean has(String phrase) {
        return (" " + String.join(" ", words) + " ").contains(" " + phrase + " ");
    }

    static Mentions of(Menu menu, List<String> words) {
        MenuIndex index = menu.index();
        List<MenuIndex.Match> items = new ArrayList<>(index.items(words));
        List<MenuIndex.Match> modifiers = new ArrayList<>(index.modifiers(words));
        resolveOverlaps(menu, words, items, modifiers);
        boolean[] used = new boolean[words.size()];
        items.forEach(m -> mark(used, m));
        modifiers.forEach(m -> mark(used, m));
        List<String> categories = new ArrayList<>();
        for (MenuIndex.Match c : index.categories(words)) {
            if (!overlapsUsed(used, c)) {
                categories.add(c.id());
                mark(used, c);
            }
        }
        // Quantities and sizes of each item, from the words just before (and a size just after) it.
        List<int[]> bounds = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        List<Boolean> counted = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            MenuIndex.Match item = items.get(k);
            int floor = k == 0 ? 0 : items.get(k - 1).end();
            for (MenuIndex.Match m : modifiers) {
                if (m.end() <= item.start()) {
                    floor = Math.max(floor, m.end());
                }
            }
            int quantity = 0;
            boolean explicit = false;
            String size = "";
            for (int i = item.start() - 1; i >= floor && !used[i]; i--) {
                String w = words.get(i);
                Optional<String> s = index.size(w);
                if (s.isPresent()) {
                    size = size.isEmpty() ? s.get() : size;
                    used[i] = true;
                    continue;
                }
                OptionalInt n = NumberWords.parse(w);
                if (n.isPresent()) {
                    quantity = n.getAsInt();
                    explicit = NumberWords.isExplicit(w);
                    used[i] = true;
                    if (i - 1 >= floor && !used[i - 1] && w.matches("one|two|three|four|five|six|seven|eight|nine")) {
                        OptionalInt tens = NumberWords.parse(words.get(i - 1));
                        if (tens.isPresent() && tens.getAsInt() >= 20 && tens.getAsInt() % 10 == 0) {
                            quantity += tens.getAsInt();
                            used[i - 1] = true;
                        }
                    }
                    break;
                }
                if (!SKIP_BEFORE.contains(w)) {
                    break;
                }
            }
            int ceiling = k + 1 < items.size() ? items.get(k + 1).start() : words.size();
            boolean last = k + 1 >= items.size();
            for (int i = item.end(); i < Math.min(ceiling, item.end() + 2) && size.isEmpty(); i++) {
                // a size right before the next item is that item's ("a cheeseburger large fries")
                boolean beforeNext = !last && i + 1 == ceiling;
                Optional<String> s = used[i] || beforeNext ? Optional.empty() : index.size(words.get(i));
                if (s.isPresent()) {
                    size = s.get();
                    used[i] = true;
                }
            }
            bounds.add(new int[] {item.start(), item.end()});
            quantities.add(quantity);
            counted.add(explicit);
            sizes.add(size);
        }
        // Modifiers go to the item before them, or the first item after them.
        List<List<String>> itemModifiers = new ArrayList<>();
        items.forEach(i -> itemModifiers.add(new ArrayList<>()));
        List<String> free = new ArrayList<>();
        for (MenuIndex.Match m : modifiers) {
            attach(items, m.start(), m.id(), itemModifiers, free);
        }
        for (int i = 0; i < words.size() - 1; i++) {
            String w = words.get(i);
            boolean trigger = w.equals("extra") || w.equals("without") || (w.equals("no") && i > 0);
            String next = words.get(i + 1);
            if (trigger && !used[i] && !used[i + 1] && !NOT_MODIFIER_WORDS.contains(next)
                    && NumberWords.parse(next).isEmpty() && index.size(next).isEmpty()) {
                attach(items, i, w + " " + next, itemModifiers, free);
                used[i] = true;
                used[i + 1] = true;
            }
        }
        List<Intent.ItemRequest> requests = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            requests.add(new Intent.ItemRequest(items.get(k).id(), quantities.get(k), counted.get(k), sizes.get(k),
                    itemModifiers.get(k)));
            starts.add(items.get(k).start());
        }
        List<String> freeSizes = new ArrayList<>();
        int freeNumber = 0;
        for (int i = 0; i < words.size(); i++) {
            if (used[i]) {
                continue;
            }
            Optional<String> s = index.size(words.get(i));
            s.ifPresent(freeSizes::add);
            if (freeNumber == 0 && NumberWords.isExplicit(words.get(i))) {
                freeNumber = NumberWords.read(words, i).map(r -> r[0]).orElse(0);
            }
        }
        return new Mentions(requests, starts, categories, free, freeSizes, freeNumber, words);
    }

    /** A modifier phrase inside an item phrase wins when it starts with a trigger word and the item before allows it. */
    private static void resolveOverlaps(Menu menu, List<String> words, List<MenuIndex.Match> items, List<MenuIndex.Match> modifiers) {
        Set<MenuIndex.Match> dropItems = new HashSet<>();
        Set<MenuIndex.Match> dropModifiers = new HashSet<>();
        for (MenuIndex.Match m : modifiers) {
            for (MenuIndex.Match item : items) {
                if (item.start() < m.end() && m.start() < item.end()) {
                    MenuIndex.Match before = null;
                    for (MenuIndex.Match other : items) {
                        if (other.end() <= m.start()) {
                            before = other;
                        }
                    }
                    boolean allowed = before != null && menu.item(before.id()).map(i -> i.allows(m.id())).orElse(false);
                    if (TRIGGERS.contains(words.get(m.start())) && allowed) {
                        dropItems.add(item);
                    } else {
                        dropModifiers.add(m);
                    }
                }
            }
        }
        items.removeAll(dropItems);
        modifiers.removeAll(dropModifiers);
    }

    private static void attach(List<MenuIndex.Match> items, int at, String modifier, List<List<String>> itemModifiers,
            List<String> free) {
        int target = -1;
        for (int k = 0; k < items.size(); k++) {
            if (items.get(k).start() < at) {
                target = k;
            }
        }
        if (target < 0 && !items.isEmpty()) {
            target = 0;
        }
        if (target < 0) {
            free.add(modifier);
        } else if (!itemModifiers.get(target).contains(modifier)) {
            itemModifiers.get(target).add(modifier);
        }
    }

    private static void mark(boolean[] used, MenuIndex.Match m) {
        for (int i = m.start(); i < m.end(); i++) {
            used[i] = true;
        }
    }

    private static boolean overlapsUsed(boolean[] used, MenuIndex.Match m) {
        for (int i = m.start(); i < m.end(); i++) {
            if (used[i]) {
                return true;
            }
        }
        return false;
    }
}
