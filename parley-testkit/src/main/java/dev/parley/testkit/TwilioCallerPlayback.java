package dev.parley.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Twilio's playback buffer for one call, driven tick by tick: a FIFO of μ-law audio and mark names
 * that a real-time clock drains at 8000 samples a second.
 *
 * <p>A tick plays the next block of audio (the interval from this tick to the next). A mark whose
 * preceding audio has all been played is echoed at the first tick after that audio's interval
 * ends, so an echo never comes before its audio has played out (it may come up to one tick late).
 * A mark that arrives while nothing is queued or playing is echoed at once; {@link #clear()}
 * drops the audio and returns every pending mark.
 *
 * <p>Not thread-safe: the caller serialises access (and sends echoes in the returned order).
 */
final class TwilioCallerPlayback {
    private static final byte SILENCE = (byte) 0xFF;

    /** Items: {@code byte[]} audio chunks and {@code String} mark names. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** Marks passed while playing the last tick's block, echoed at the next tick. */
    private final List<String> due = new ArrayList<>();
    private int headOffset;
    private long queuedSamples;
    private long playedSamples;
    private long clearedSamples;
    private boolean playedLastTick;

    /** The result of one tick. */
    record Tick(byte[] block, int played, List<String> echoes) {}

    /** Appends agent audio. */
    void audio(byte[] mulaw) {
        if (mulaw.length > 0) {
            queue.addLast(mulaw);
            queuedSamples += mulaw.length;
        }
    }

    /** Appends a mark; returns the names to echo now (this one, if nothing is buffered or playing). */
    List<String> mark(String name) {
        if (queue.isEmpty() && due.isEmpty() && !playedLastTick) {
            return List.of(name);
        }
        queue.addLast(name);
        return List.of();
    }

    /** Drops all queued audio; returns every pending mark in order, all to be echoed now. */
    List<String> clear() {
        List<String> echoes = new ArrayList<>(due);
        due.clear();
        for (Object item : queue) {
            if (item instanceof String name) {
                echoes.add(name);
            }
        }
        queue.clear();
        clearedSamples += queuedSamples;
        queuedSamples = 0;
        headOffset = 0;
        playedLastTick = false;
        return echoes;
    }

    /** Plays the next {@code samples} (the block is padded with μ-law silence when the buffer runs dry). */
    Tick tick(int samples) {
        List<String> echoes = new ArrayList<>(due);
        due.clear();
        while (queue.peekFirst() instanceof String name) {
            echoes.add(name);
            queue.removeFirst();
        }
        byte[] block = new byte[samples];
        int filled = 0;
        while (filled < samples && !queue.isEmpty()) {
            Object head = queue.peekFirst();
            if (head instanceof byte[] chunk) {
                int n = Math.min(samples - filled, chunk.length - headOffset);
                System.arraycopy(chunk, headOffset, block, filled, n);
                filled += n;
                headOffset += n;
                if (headOffset == chunk.length) {
                    queue.removeFirst();
                    headOffset = 0;
                }
            } else {
                due.add((String) head);
                queue.removeFirst();
            }
        }
        Arrays.fill(block, filled, samples, SILENCE);
        queuedSamples -= filled;
        playedSamples += filled;
        playedLastTick = filled > 0;
        return new Tick(block, filled, echoes);
    }

    /** True when nothing is queued and the last tick played nothing. */
    boolean idle() {
        return queue.isEmpty() && due.isEmpty() && !playedLastTick;
    }

    /** Whether any audio is waiting to be played. */
    boolean hasQueuedAudio() {
        return queuedSamples > 0;
    }

    long playedSamples() {
        return playedSamples;
    }

    long clearedSamples() {
        return clearedSamples;
    }
}
