package dev.parley.cli;

import java.util.Arrays;
import java.util.Locale;

/** Word error counting: Levenshtein distance over normalised words. */
final class WordErrors {
    private WordErrors() {}

    static String[] words(String text, boolean split) {
        String n = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
        return n.isEmpty() ? new String[0] : n.split("\\s+");
    }

    static int words(String text) {
        return words(text, true).length;
    }

    /** Substitutions + insertions + deletions turning {@code reference} into {@code hypothesis}. */
    static int distance(String reference, String hypothesis) {
        String[] r = words(reference, true);
        String[] h = words(hypothesis, true);
        int[] prev = new int[h.length + 1];
        int[] cur = new int[h.length + 1];
        for (int j = 0; j <= h.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= r.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= h.length; j++) {
                int sub = prev[j - 1] + (r[i - 1].equals(h[j - 1]) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[h.length];
    }

    static String normalized(String text) {
        return String.join(" ", Arrays.asList(words(text, true)));
    }
}
