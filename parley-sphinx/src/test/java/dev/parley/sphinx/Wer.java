package dev.parley.sphinx;

import java.util.List;

/** Word error rate: word-level Levenshtein distance. */
final class Wer {
    private Wer() {}

    static int errors(String reference, String hypothesis) {
        List<String> r = Lexicon.words(reference);
        List<String> h = Lexicon.words(hypothesis);
        int[] prev = new int[h.size() + 1];
        int[] cur = new int[h.size() + 1];
        for (int j = 0; j <= h.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= r.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= h.size(); j++) {
                int sub = prev[j - 1] + (r.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[h.size()];
    }

    static int words(String reference) {
        return Lexicon.words(reference).size();
    }
}
