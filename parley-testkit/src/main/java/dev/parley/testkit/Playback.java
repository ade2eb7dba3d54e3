package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The far end's playback buffer as a pure model (time is an argument): audio plays back to back at
 * {@code speed} times real time, a mark is due once the audio queued before it has played, clear
 * drops what has not played and releases every pending mark. Not thread-safe.
 */
final class Playback {
    private sealed interface Entry {}

    private record Audio(AudioFrame frame, Instant start, Instant end) implements Entry {}

    private record Mark(String name, Instant due) implements Entry {}

    private final double speed;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final List<AudioFrame> played = new ArrayList<>();
    private Instant playheadEnd = Instant.MIN;
    private long playedNanos;
    private long droppedNanos;

    Playback(double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0: " + speed);
        }
        this.speed = speed;
    }

    private Duration wall(Duration audio) {
        return Duration.ofNanos((long) (audio.toNanos() / speed));
    }

    /** Queues audio; returns marks that became due up to {@code now}. */
    List<String> write(AudioFrame frame, Instant now) {
        List<String> due = advance(now);
        Instant start = playheadEnd.isAfter(now) ? playheadEnd : now;
        Instant end = start.plus(wall(frame.duration()));
        queue.add(new Audio(frame, start, end));
        playheadEnd = end;
        return due;
    }

    /** Queues a mark; returns marks due now, including this one if nothing is left to play. */
    List<String> mark(String name, Instant now) {
        List<String> due = new ArrayList<>(advance(now));
        if (queue.isEmpty()) {
            due.add(name);
        } else {
            queue.add(new Mark(name, playheadEnd));
        }
        return due;
    }

    /** Plays everything due by {@code now}; returns the marks reached, in order. */
    List<String> advance(Instant now) {
        var due = new ArrayList<String>();
        while (!queue.isEmpty()) {
            Entry head = queue.peek();
            switch (head) {
                case Audio a -> {
                    if (a.end().isAfter(now)) {
                        return due;
                    }
                    played.add(a.frame());
                    playedNanos += a.frame().duration().toNanos();
                }
                case Mark m -> {
                    if (m.due().isAfter(now)) {
                        return due;
                    }
                    due.add(m.name());
                }
            }
            queue.poll();
        }
        return due;
    }

    /** The result of a clear or a stop: marks released and audio dropped. */
    record Cut(List<String> marks, List<String> releasedMarks, Duration dropped) {}

    /** Drops unplayed audio (keeping the played part of the frame now playing); releases pending marks. */
    Cut clear(Instant now) {
        List<String> played = advance(now);
        var released = new ArrayList<String>();
        long dropped = 0;
        for (Entry e : queue) {
            switch (e) {
                case Audio a -> {
                    if (a.start().isBefore(now)) {
                        long heardWall = Duration.between(a.start(), now).toNanos();
                        int samples = (int) Math.min(a.frame().length(),
                                (long) (heardWall * speed * a.frame().sampleRate() / 1e9));
                        short[] part = new short[samples];
                        System.arraycopy(a.frame().samples(), 0, part, 0, samples);
                        var heard = new AudioFrame(part, a.frame().sampleRate());
                        this.played.add(heard);
                        playedNanos += heard.duration().toNanos();
                        dropped += a.frame().duration().toNanos() - heard.duration().toNanos();
                    } else {
                        dropped += a.frame().duration().toNanos();
                    }
                }
                case Mark m -> released.add(m.name());
            }
        }
        queue.clear();
        playheadEnd = now;
        droppedNanos += dropped;
        return new Cut(played, released, Duration.ofNanos(dropped));
    }

    /** When the next audio ends or mark falls due; empty when idle. */
    Optional<Instant> nextChange() {
        Entry head = queue.peek();
        return switch (head) {
            case null -> Optional.empty();
            case Audio a -> Optional.of(a.end());
            case Mark m -> Optional.of(m.due());
        };
    }

    /** True when nothing is queued (call {@link #advance} first). */
    boolean idle() {
        return queue.isEmpty();
    }

    /** Audio queued and not fully played by {@code now} (a frame playing now counts whole). */
    Duration unplayed(Instant now) {
        long n = 0;
        for (Entry e : queue) {
            if (e instanceof Audio a && a.end().isAfter(now)) {
                n += a.frame().duration().toNanos();
            }
        }
        return Duration.ofNanos(n);
    }

    List<AudioFrame> played() {
        return List.copyOf(played);
    }

    Duration playedDuration() {
        return Duration.ofNanos(playedNanos);
    }

    Duration droppedDuration() {
        return Duration.ofNanos(droppedNanos);
    }
}
