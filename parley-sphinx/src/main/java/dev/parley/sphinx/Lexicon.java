package dev.parley.sphinx;

import dev.parley.ParleyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Text normalisation and pronunciations for a domain vocabulary, taken from the CMU dictionary in
 * sphinx4-data. The full dictionary (134k words) is scanned once per model build and only the
 * needed entries are kept, so each recogniser loads a dictionary of a few dozen lines.
 */
final class Lexicon {
    static final String CMUDICT = "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
    private static final Pattern NOT_WORD = Pattern.compile("[^a-z0-9']+");
    private static final String[] ONES = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
    };
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

    /** word → pronunciations (phone strings), in dictionary order. */
    private final Map<String, List<String>> pronunciations;
    private final Set<String> unknown;

    private Lexicon(Map<String, List<String>> pronunciations, Set<String> unknown) {
        this.pronunciations = pronunciations;
        this.unknown = unknown;
    }

    /**
     * Looks up every word; words missing from cmudict are resolved through {@code custom}, then as a
     * compound of two dictionary words ("cheesesteak" = "cheese" + "steak"), else reported unknown.
     */
    static Lexicon lookup(Collection<String> words, Map<String, String> custom) {
        Set<String> wanted = new TreeSet<>(words);
        Map<String, List<String>> found = new LinkedHashMap<>();
        Map<String, List<String>> all = scan(wanted);
        Set<String> unknown = new TreeSet<>();
        for (String w : wanted) {
            String own = custom.get(w);
            if (own != null) {
                found.put(w, List.of(own.trim().toUpperCase(Locale.ROOT)));
            } else if (all.containsKey(w)) {
                found.put(w, all.get(w));
            } else {
                unknown.add(w);
            }
        }
        if (!unknown.isEmpty()) {
            resolveCompounds(unknown, found);
        }
        return new Lexicon(found, unknown);
    }

    private static void resolveCompounds(Set<String> unknown, Map<String, List<String>> found) {
        Set<String> parts = new TreeSet<>();
        for (String w : unknown) {
            for (int i = 2; i <= w.length() - 2; i++) {
                parts.add(w.substring(0, i));
                parts.add(w.substring(i));
            }
        }
        Map<String, List<String>> partProns = scan(parts);
        for (var it = unknown.iterator(); it.hasNext(); ) {
            String w = it.next();
            for (int i = 2; i <= w.length() - 2; i++) {
                List<String> a = partProns.get(w.substring(0, i));
                List<String> b = partProns.get(w.substring(i));
                if (a != null && b != null) {
                    found.put(w, List.of(a.getFirst() + " " + b.getFirst()));
                    it.remove();
                    break;
                }
            }
        }
    }

    /** Entries of cmudict for the wanted words, alternates included ("a(2)" becomes a second entry of "a"). */
    private static Map<String, List<String>> scan(Set<String> wanted) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (InputStream in = Lexicon.class.getResourceAsStream(CMUDICT)) {
            if (in == null) {
                throw new ParleyException("sphinx4-data is not on the class path: " + CMUDICT + " missing");
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            for (String line; (line = reader.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    continue;
                }
                String head = line.substring(0, sp);
                int paren = head.indexOf('(');
                String word = paren > 0 ? head.substring(0, paren) : head;
                if (wanted.contains(word)) {
                    out.computeIfAbsent(word, k -> new ArrayList<>()).add(line.substring(sp + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new ParleyException("cannot read " + CMUDICT, e);
        }
        return out;
    }

    boolean knows(String word) {
        return pronunciations.containsKey(word);
    }

    /** Words neither in cmudict, nor given a pronunciation, nor a compound of two known words. */
    Set<String> unknown() {
        return unknown;
    }

    /** The dictionary in Sphinx text format: "word PH PH", alternates as "word(2) PH PH". */
    String dictionaryText() {
        var sb = new StringBuilder();
        pronunciations.forEach((word, prons) -> {
            for (int i = 0; i < prons.size(); i++) {
                sb.append(word).append(i == 0 ? "" : "(" + (i + 1) + ")").append(' ').append(prons.get(i)).append('\n');
            }
        });
        return sb.toString();
    }

    /** Lower-case words of a sentence; punctuation dropped, numbers 0-999 spelled out. */
    static List<String> words(String sentence) {
        List<String> out = new ArrayList<>();
        for (String token : NOT_WORD.split(sentence.toLowerCase(Locale.ROOT))) {
            String t = stripQuotes(token);
            if (t.isEmpty()) {
                continue;
            }
            if (t.chars().allMatch(Character::isDigit) && t.length() <= 3) {
                out.addAll(List.of(spell(Integer.parseInt(t)).split(" ")));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static String stripQuotes(String t) {
        int a = 0;
        int b = t.length();
        while (a < b && t.charAt(a) == '\'') {
            a++;
        }
        while (b > a && t.charAt(b - 1) == '\'') {
            b--;
        }
        return t.substring(a, b);
    }

    static String spell(int n) {
        if (n < 20) {
            return ONES[n];
        }
        if (n < 100) {
            return TENS[n / 10] + (n % 10 == 0 ? "" : " " + ONES[n % 10]);
        }
        return ONES[n / 100] + " hundred" + (n % 100 == 0 ? "" : " " + spell(n % 100));
    }
}
