package dev.parley.localtts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts text into sentences so an engine worker can interleave calls sentence by sentence. A
 * sentence ends at {@code . ! ? …} (and their Arabic/Urdu forms {@code ؟ ۔}) followed by white
 * space, or at a line break; a full stop after a common abbreviation ("Dr.", "e.g.") or inside a
 * number ("$12.50") does not end one. Over-long sentences are cut at a comma or space.
 */
final class SentenceSplitter {
    static final int MAX_LENGTH = 400;
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "st", "sr", "jr", "prof", "vs", "etc", "e.g", "i.e", "no", "approx", "ave", "rd");

    private SentenceSplitter() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r';
            boolean terminal = (c == '.' || c == '!' || c == '?' || c == '…' || c == '؟' || c == '۔')
                    && (i + 1 == n || Character.isWhitespace(text.charAt(i + 1)))
                    && !(c == '.' && abbreviationBefore(text, i));
            if (lineBreak || terminal) {
                add(out, text.substring(start, i + 1));
                start = i + 1;
            }
        }
        add(out, text.substring(start));
        return out;
    }

    private static boolean abbreviationBefore(String text, int dot) {
        int j = dot;
        while (j > 0 && !Character.isWhitespace(text.charAt(j - 1))) {
            j--;
        }
        return ABBREVIATIONS.contains(text.substring(j, dot).toLowerCase(Locale.ROOT));
    }

    private static void add(List<String> out, String sentence) {
        String s = sentence.strip();
        while (s.length() > MAX_LENGTH) {
            int end;
            int comma = s.lastIndexOf(", ", MAX_LENGTH);
            int space = s.lastIndexOf(' ', MAX_LENGTH);
            if (comma >= MAX_LENGTH / 2) {
                end = comma + 1;
            } else if (space >= MAX_LENGTH / 2) {
                end = space;
            } else {
                end = Character.isHighSurrogate(s.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
            }
            out.add(s.substring(0, end).strip());
            s = s.substring(end).strip();
        }
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
