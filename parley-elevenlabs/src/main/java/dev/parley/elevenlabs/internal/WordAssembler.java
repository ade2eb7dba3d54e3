package dev.parley.elevenlabs.internal;

import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups per-character alignment into words. Characters come in chunks, each timed from the start
 * of its own audio message; {@link #add} takes the chunk's offset in the stream. A word may span
 * two chunks; it is emitted once whitespace (or {@link #drain}) ends it. Not thread-safe.
 */
public final class WordAssembler {
    private final StringBuilder word = new StringBuilder();
    private Duration start = Duration.ZERO;
    private Duration end = Duration.ZERO;
    private Duration last = Duration.ZERO;

    /** Adds one chunk's characters; returns the words it completed. */
    public List<WordTiming> add(List<Messages.Char> chars, Duration chunkOffset) {
        List<WordTiming> out = new ArrayList<>();
        for (Messages.Char c : chars) {
            if (c.ch().isBlank()) {
                complete(out);
                continue;
            }
            Duration s = chunkOffset.plusMillis(Math.max(0, c.startMs()));
            Duration e = s.plusMillis(Math.max(0, c.durationMs()));
            if (word.isEmpty()) {
                start = s.compareTo(last) < 0 ? last : s; // keep words in order
            }
            word.append(c.ch());
            end = e.compareTo(start) < 0 ? start : e;
        }
        return out;
    }

    /** The word in progress, if any (at a flush boundary or the end). */
    public List<WordTiming> drain() {
        List<WordTiming> out = new ArrayList<>(1);
        complete(out);
        return out;
    }

    /** Letters and digits among the characters (what the flush accounting counts). */
    public static int countSpoken(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private void complete(List<WordTiming> out) {
        if (!word.isEmpty()) {
            out.add(new WordTiming(word.toString(), start, end));
            last = end;
            word.setLength(0);
        }
    }
}
