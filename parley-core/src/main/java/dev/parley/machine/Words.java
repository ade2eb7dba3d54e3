package dev.parley.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Word-level helpers for turn-taking: normalisation, backchannel filtering, echo detection. */
final class Words {
    private Words() {}

    /** Lower case, punctuation removed (apostrophes and hyphens inside words kept), single spaces. */
    static String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            boolean keep = Character.isLetterOrDigit(c) || ((c == '\'' || c == '-') && i > 0 && i + 1 < text.length()
                    && Character.isLetterOrDigit(text.charAt(i - 1)) && Character.isLetterOrDigit(text.charAt(i + 1)));
            if (keep) {
                if (space && !sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(c);
                space = false;
            } else {
                space = true;
            }
        }
        return sb.toString();
    }

    static List<String> split(String text) {
        String n = normalize(text);
        return n.isEmpty() ? List.of() : Arrays.asList(n.split(" "));
    }

    /** The words of {@code text} that are not part of a backchannel phrase. */
    static List<String> meaningful(String text, List<String> backchannels) {
        String n = " " + normalize(text) + " ";
        for (String phrase : backchannels) {
            String p = " " + normalize(phrase) + " ";
            if (p.isBlank()) {
                continue;
            }
            while (n.contains(p)) {
                n = n.replace(p, " ");
            }
        }
        n = n.trim();
        return n.isEmpty() ? List.of() : Arrays.asList(n.split(" +"));
    }

    /** Whether every word of {@code heard} also occurs in {@code agentText} (the caller line echoing the agent). */
    static boolean echoOf(String heard, String agentText) {
        List<String> h = split(heard);
        if (h.isEmpty()) {
            return false;
        }
        List<String> a = new ArrayList<>(split(agentText));
        return a.containsAll(h);
    }

    static String join(String a, String b) {
        String x = a.trim();
        String y = b.trim();
        return x.isEmpty() ? y : y.isEmpty() ? x : x + " " + y;
    }

    static boolean sameWords(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
