package dev.parley.machine;

import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps agent audio played to text spoken. Pure: time is passed in. Chunks are queued as replies write them (each
 * followed by a mark); a mark echo means the chunk has been played. On a cut, the chunk being played is split by its
 * word timings when the TTS gave them, otherwise by the position inside the chunk's text.
 */
final class PlaybackTracker {
    /** One chunk of speech; word timings are relative to the chunk's first sample. */
    record Chunk(int replyId, int index, String text, Duration audio, List<WordTiming> words, Instant queuedAt) {}

    /** What a cut leaves: the words heard of the reply, and the words not heard. */
    record Cut(int replyId, String heard, String unheard) {}

    private final List<Chunk> chunks = new ArrayList<>();
    private int played; // chunks[0, played) have been played
    private Instant lastPlayedAt = Instant.EPOCH;
    private Instant speakingSince = Instant.EPOCH;

    PlaybackTracker copy() {
        PlaybackTracker t = new PlaybackTracker();
        t.chunks.addAll(chunks);
        t.played = played;
        t.lastPlayedAt = lastPlayedAt;
        t.speakingSince = speakingSince;
        return t;
    }

    void add(Chunk chunk, Instant now) {
        if (!audible()) {
            speakingSince = now;
        }
        chunks.add(chunk);
    }

    /** Marks the chunk and all before it as played; returns false for an unknown or stale mark. */
    boolean markPlayed(int replyId, int index, Instant now) {
        for (int i = played; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (c.replyId() == replyId && c.index() == index) {
                played = i + 1;
                lastPlayedAt = now;
                return true;
            }
        }
        return false;
    }

    /** Whether some queued agent audio has not been played yet. */
    boolean audible() {
        return played < chunks.size();
    }

    /** When the current stretch of agent speech started (meaningful while audible). */
    Instant speakingSince() {
        return speakingSince;
    }

    /** All text queued for a reply, played or not. */
    String spokenText(int replyId) {
        StringBuilder sb = new StringBuilder();
        for (Chunk c : chunks) {
            if (c.replyId() == replyId) {
                append(sb, c.text());
            }
        }
        return sb.toString();
    }

    /** Whether all queued chunks of this reply have been played. */
    boolean fullyPlayed(int replyId) {
        for (int i = played; i < chunks.size(); i++) {
            if (chunks.get(i).replyId() == replyId) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cuts playback now: returns what the caller heard of {@code replyId} and what not, and forgets unplayed audio.
     */
    Cut cut(int replyId, Instant now) {
        return cutAll(now).getOrDefault(replyId, new Cut(replyId, "", ""));
    }

    /** Cuts playback now for every reply with queued chunks: what the caller heard of each, and what not. */
    java.util.Map<Integer, Cut> cutAll(Instant now) {
        java.util.Map<Integer, StringBuilder[]> parts = new java.util.LinkedHashMap<>();
        boolean headDone = false;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            StringBuilder[] p = parts.computeIfAbsent(c.replyId(), k -> new StringBuilder[] {new StringBuilder(),
                    new StringBuilder()});
            if (i < played) {
                append(p[0], c.text());
            } else if (!headDone) {
                headDone = true;
                // the head chunk started when the one before it finished, or when it was queued if later
                Instant start = c.queuedAt().isAfter(lastPlayedAt) ? c.queuedAt() : lastPlayedAt;
                String[] split = split(c, Duration.between(start, now));
                append(p[0], split[0]);
                append(p[1], split[1]);
            } else {
                append(p[1], c.text());
            }
        }
        chunks.subList(played, chunks.size()).clear();
        lastPlayedAt = now;
        java.util.Map<Integer, Cut> cuts = new java.util.LinkedHashMap<>();
        parts.forEach((id, p) -> cuts.put(id, new Cut(id, p[0].toString(), p[1].toString())));
        return cuts;
    }

    /** Drops every chunk of replies other than those still audible (keeps the tracker small). */
    void forgetPlayed() {
        if (!audible()) {
            chunks.clear();
            played = 0;
        }
    }

    /** Splits a chunk's text into [heard, unheard] after {@code elapsed} of its audio has played. */
    static String[] split(Chunk c, Duration elapsed) {
        if (elapsed.isNegative() || elapsed.isZero()) {
            return new String[] {"", c.text()};
        }
        if (elapsed.compareTo(c.audio()) >= 0) {
            return new String[] {c.text(), ""};
        }
        String[] words = c.text().trim().split("\\s+");
        int heardWords;
        if (!c.words().isEmpty()) {
            int n = 0;
            for (WordTiming w : c.words()) {
                if (w.end().compareTo(elapsed) <= 0) {
                    n++;
                } else {
                    break;
                }
            }
            heardWords = Math.min(n, words.length);
        } else {
            // position inside the chunk: characters spoken so far, whole words only
            double fraction = (double) elapsed.toNanos() / c.audio().toNanos();
            int total = c.text().trim().length();
            int spokenChars = (int) Math.floor(fraction * total);
            int pos = 0;
            heardWords = 0;
            for (String w : words) {
                pos += w.length();
                if (pos <= spokenChars) {
                    heardWords++;
                    pos++; // the space
                } else {
                    break;
                }
            }
        }
        return new String[] {String.join(" ", java.util.Arrays.asList(words).subList(0, heardWords)),
                String.join(" ", java.util.Arrays.asList(words).subList(heardWords, words.length))};
    }

    static void append(StringBuilder sb, String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(' ');
        }
        sb.append(t);
    }
}
