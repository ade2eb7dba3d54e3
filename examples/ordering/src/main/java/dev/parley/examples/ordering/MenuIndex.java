package dev.parley.examples.ordering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what a sentence names on a menu: items, modifiers, category words and sizes, by longest phrase match over
 * normalised words (lowercase, contractions expanded, plurals folded: "pepperonis" matches "pepperoni").
 */
final class MenuIndex {
    /** A phrase found at words {@code [start, end)}. */
    record Match(int start, int end, String id) {
        int length() {
            return end - start;
        }
    }

    private static final Map<String, String> CONTRACTIONS = Map.ofEntries(
            Map.entry("that's", "that is"), Map.entry("what's", "what is"), Map.entry("it's", "it is"),
            Map.entry("there's", "there is"), Map.entry("here's", "here is"), Map.entry("let's", "let us"),
            Map.entry("how's", "how is"), Map.entry("who's", "who is"), Map.entry("can't", "can not"),
            Map.entry("won't", "will not"), Map.entry("i'm", "i am"), Map.entry("gimme", "give me"),
            Map.entry("wanna", "want to"), Map.entry("lemme", "let me"), Map.entry("gonna", "going to"));
    private static final Map<String, String> SIZE_SYNONYMS = Map.of("big", "large", "little", "small", "medium-sized", "medium");

    private final Map<List<String>, String> itemPhrases = new HashMap<>();
    private final Map<List<String>, String> modifierPhrases = new HashMap<>();
    private final Map<List<String>, String> categoryPhrases = new HashMap<>();
    private final Map<String, String> sizes = new HashMap<>();
    private int longest = 1;

    MenuIndex(Menu menu) {
        for (MenuItem item : menu.items()) {
            add(itemPhrases, item.name(), item.id());
            add(itemPhrases, item.plural(), item.id());
            item.aliases().forEach(a -> add(itemPhrases, a, item.id()));
            item.sizes().forEach(s -> sizes.put(s.size(), s.size()));
        }
        for (Modifier modifier : menu.modifiers()) {
            add(modifierPhrases, modifier.name(), modifier.id());
            modifier.aliases().forEach(a -> add(modifierPhrases, a, modifier.id()));
        }
        for (Category category : menu.categories()) {
            add(categoryPhrases, category.id(), category.id());
            add(categoryPhrases, category.name(), category.id());
            category.words().forEach(w -> add(categoryPhrases, w, category.id()));
        }
        SIZE_SYNONYMS.forEach((word, size) -> {
            if (sizes.containsKey(size)) {
                sizes.put(word, size);
            }
        });
    }

    private void add(Map<List<String>, String> phrases, String phrase, String id) {
        List<String> key = stems(tokens(phrase));
        if (!key.isEmpty()) {
            phrases.putIfAbsent(key, id);
            longest = Math.max(longest, key.size());
        }
    }

    /** Lowercase words of a recogniser or model text: punctuation dropped, hyphens split, contractions expanded. */
    static List<String> tokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replace('-', ' ');
        List<String> out = new ArrayList<>();
        for (String raw : lower.split("[^a-z0-9']+")) {
            String word = raw.replaceAll("^'+|'+$", "");
            if (word.isEmpty()) {
                continue;
            }
            String expanded = CONTRACTIONS.get(word);
            if (expanded == null) {
                expanded = expand(word);
            }
            out.addAll(Arrays.asList(expanded.split(" ")));
        }
        return out;
    }

    private static String expand(String word) {
        if (word.endsWith("n't")) {
            return word.substring(0, word.length() - 3) + " not";
        }
        for (String[] suffix : new String[][] {{"'d", " would"}, {"'ll", " will"}, {"'m", " am"}, {"'re", " are"}, {"'ve", " have"}}) {
            if (word.endsWith(suffix[0])) {
                return word.substring(0, word.length() - suffix[0].length()) + suffix[1];
            }
        }
        return word.replace("'", "");
    }

    /** Folds plural forms so singular and plural match: "pizzas" and "pizza", "tomatoes" and "tomato". */
    static String stem(String word) {
        if (word.length() <= 3 || word.endsWith("ss")) {
            return word;
        }
        if (word.endsWith("oes") || word.endsWith("ches") || word.endsWith("shes") || word.endsWith("xes")) {
            return word.substring(0, word.length() - 2);
        }
        return word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
    }

    static List<String> stems(List<String> tokens) {
        return tokens.stream().map(MenuIndex::stem).toList();
    }

    /** The normalised form of a phrase, for comparing names. */
    static String key(String phrase) {
        return String.join(" ", stems(tokens(phrase)));
    }

    List<Match> items(List<String> tokens) {
        return matches(itemPhrases, stems(tokens));
    }

    List<Match> modifiers(List<String> tokens) {
        return matches(modifierPhrases, stems(tokens));
    }

    List<Match> categories(List<String> tokens) {
        return matches(categoryPhrases, stems(tokens));
    }

    /** The menu size a word names ("big" means "large"), if any. */
    Optional<String> size(String word) {
        return Optional.ofNullable(sizes.get(word));
    }

    Optional<String> itemNamed(String spoken) {
        return named(itemPhrases, spoken);
    }

    Optional<String> modifierNamed(String spoken) {
        return named(modifierPhrases, spoken);
    }

    Optional<String> categoryNamed(String spoken) {
        return named(categoryPhrases, spoken);
    }

    private Optional<String> named(Map<List<String>, String> phrases, String spoken) {
        List<String> stems = stems(tokens(spoken));
        String exact = phrases.get(stems);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<String> found = matches(phrases, stems).stream().map(Match::id).distinct().toList();
        return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
    }

    private List<Match> matches(Map<List<String>, String> phrases, List<String> stems) {
        List<Match> out = new ArrayList<>();
        int i = 0;
        while (i < stems.size()) {
            Match best = null;
            for (int len = Math.min(longest, stems.size() - i); len >= 1 && best == null; len--) {
                String id = phrases.get(stems.subList(i, i + len));
                if (id != null) {
                    best = new Match(i, i + len, id);
                }
            }
            if (best == null) {
                i++;
            } else {
                out.add(best);
                i = best.end();
            }
        }
        return out;
    }
}
