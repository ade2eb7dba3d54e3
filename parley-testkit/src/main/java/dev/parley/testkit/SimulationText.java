package dev.parley.testkit;

import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Word banks and text helpers of the {@link Simulation}: what the simulated agent and caller say. */
final class SimulationText {
    private SimulationText() {}

    static final List<String> AGENT = List.of(
            "Sure, I can help with that.", "We have small, medium and large pizzas.",
            "The supreme has pepperoni, sausage, peppers, onions and olives.", "Would you like anything to drink?",
            "Your order comes to twenty four dollars.", "That will be ready in about twenty minutes.",
            "We deliver until eleven tonight.", "Can I have your address, please?", "Anything else for you today?",
            "Great, I added that to your order.", "Our special today is the margherita.",
            "Garlic bread is four dollars fifty.", "Is that for pickup or delivery?", "Thanks, I have noted that.",
            "We also have a vegan cheese option.", "Let me read that back to you.");

    static final List<String> PREFACES = List.of("Let me check that for you.", "One second.", "Okay, looking that up.");

    static final List<String> CALLER = List.of(
            "hi", "i would like to order a pizza", "two large pepperoni pizzas please", "what sizes do you have",
            "how much is the garlic bread", "do you deliver to main street", "no that is all", "add a coke",
            "can i pay by card", "wait actually make it a medium", "what comes on the supreme",
            "let me talk to a person", "how long will it take", "my address is twelve oak lane",
            "do you have vegan cheese", "cancel the garlic bread", "stop", "hold on a second");

    static final List<String> BACKCHANNELS = List.of("uh-huh", "yeah", "okay", "mm-hmm", "right", "uh huh", "sure");

    static final List<String> EXTRA_WORDS = List.of("please", "actually", "large", "the", "two", "small", "now");

    static final List<String> TOOLS = List.of("lookup_menu", "add_item", "check_address", "price_order");

    static <T> T pick(Random rnd, List<T> items) {
        return items.get(rnd.nextInt(items.size()));
    }

    /** The whitespace-separated tokens of a text (the machine joins and splits words this way). */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    static String words(List<String> tokens, int from, int to) {
        return String.join(" ", tokens.subList(from, to));
    }

    /** A recognition variant of what was said: a word replaced, dropped or added. */
    static String misheard(Random rnd, String text) {
        List<String> t = new ArrayList<>(tokens(text));
        switch (rnd.nextInt(3)) {
            case 0 -> t.add(pick(rnd, EXTRA_WORDS));
            case 1 -> {
                if (t.size() > 1) {
                    t.removeLast();
                } else {
                    t.add(pick(rnd, EXTRA_WORDS));
                }
            }
            default -> t.set(rnd.nextInt(t.size()), pick(rnd, EXTRA_WORDS));
        }
        return String.join(" ", t);
    }

    /** How long a text takes to speak: 55 to 80 ms per character plus a little lead-in. */
    static Duration audioFor(Random rnd, String text) {
        long micros = text.trim().length() * (55_000L + rnd.nextInt(25_000)) + 60_000L + rnd.nextInt(40_000);
        return Duration.ofNanos(micros * 1000);
    }

    /** Word timings for a chunk, roughly by word length, inside its audio (lead-in first). */
    static List<WordTiming> timings(Random rnd, String text, Duration audio) {
        List<String> t = tokens(text);
        long total = audio.toNanos();
        long lead = total / 20;
        long span = total - lead - total / 20;
        int chars = 0;
        for (String w : t) {
            chars += w.length() + 1;
        }
        List<WordTiming> out = new ArrayList<>(t.size());
        long pos = lead;
        for (String w : t) {
            long len = span * (w.length() + 1) / chars;
            long jitter = len / 5 == 0 ? 0 : (long) (rnd.nextDouble() * (len / 5));
            out.add(new WordTiming(w, Duration.ofNanos(pos), Duration.ofNanos(pos + len - jitter)));
            pos += len;
        }
        return out;
    }

    /** Splits a fixed text into sentence chunks, like the reply's sentence chunker. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (String w : tokens(text)) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(w);
            char last = w.charAt(w.length() - 1);
            if (last == '.' || last == '!' || last == '?') {
                out.add(sb.toString());
                sb.setLength(0);
            }
        }
        if (!sb.isEmpty()) {
            out.add(sb.toString());
        }
        return out;
    }

    /** A random duration between two bounds in milliseconds, with microsecond resolution. */
    static Duration between(Random rnd, long fromMs, long toMs) {
        long micros = fromMs * 1000 + (long) (rnd.nextDouble() * (toMs - fromMs) * 1000);
        return Duration.ofNanos(micros * 1000);
    }
}
