package dev.parley.testkit;

import dev.parley.machine.CallMachine;
import dev.parley.machine.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The simulated far end (like Twilio): plays agent audio in the order written, echoes each chunk's mark once its audio
 * has played, and on a clear drops what has not been played and echoes all pending marks at once. It is also the
 * ground truth of what the caller really heard.
 */
final class SimulationFarEnd {
    /** One chunk of agent audio as the far end received and played it. */
    static final class Audio {
        final int replyId;
        final int index;
        final Duration length;
        final Instant start;
        final Instant end;
        @Nullable Instant clearedAt;
        boolean echoed;

        Audio(int replyId, int index, Duration length, Instant start) {
            this.replyId = replyId;
            this.index = index;
            this.length = length;
            this.start = start;
            this.end = start.plus(length);
        }
    }

    private final SimulationCall call;
    private final List<Audio> unplayed = new ArrayList<>();
    private final Map<Long, Audio> all = new HashMap<>();
    private Instant lastEnd = Instant.EPOCH;
    private Instant lastEcho = Instant.EPOCH;

    SimulationFarEnd(SimulationCall call) {
        this.call = call;
    }

    private static long key(int replyId, int index) {
        return ((long) replyId << 32) | index;
    }

    /**
     * A reply writes a chunk now; its mark follows the audio. The mark is echoed after the audio has played, and
     * never before {@code signalAt} (the reply posts its chunk signal right after writing the mark).
     */
    void write(int replyId, int index, Duration length, Instant signalAt) {
        Instant now = call.now();
        Instant start = now.isAfter(lastEnd) ? now : lastEnd;
        Audio a = new Audio(replyId, index, length, start);
        lastEnd = a.end;
        unplayed.add(a);
        all.put(key(replyId, index), a);
        Instant echo = a.end.plus(SimulationText.between(call.rnd(), 0, 40));
        if (!echo.isAfter(signalAt)) {
            echo = signalAt.plusMillis(1);
        }
        call.at(monotonic(echo), () -> echo(a));
    }

    private Instant monotonic(Instant at) {
        Instant t = at.isAfter(lastEcho) ? at : lastEcho.plusNanos(1000);
        lastEcho = t;
        return t;
    }

    private void echo(Audio a) {
        if (a.echoed) {
            return;
        }
        a.echoed = true;
        unplayed.remove(a);
        if (!call.over()) {
            call.deliver(new Signal.MarkPlayed(CallMachine.markName(a.replyId, a.index)));
        }
    }

    /** Twilio {@code clear}: drop unplayed audio, echo every pending mark now (in order). */
    void clear() {
        Instant now = call.now();
        // every pending mark is echoed now: natural echoes still in flight become no-ops
        Instant echoAt = now.plus(SimulationText.between(call.rnd(), 1, 30));
        lastEcho = echoAt;
        for (Audio a : List.copyOf(unplayed)) {
            if (a.end.isAfter(now)) {
                a.clearedAt = now;
            }
            call.at(echoAt, () -> echo(a));
        }
        lastEnd = now;
    }

    /** How much of a chunk's audio the caller had really heard at {@code at} (zero for an unknown chunk). */
    Duration played(int replyId, int index, Instant at) {
        Audio a = all.get(key(replyId, index));
        if (a == null) {
            return Duration.ZERO;
        }
        Instant until = a.clearedAt != null && a.clearedAt.isBefore(at) ? a.clearedAt : at;
        if (!until.isAfter(a.start)) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(a.start, until);
        return d.compareTo(a.length) > 0 ? a.length : d;
    }

    /** Whether agent audio is sounding at the far end now. */
    boolean playing(Instant now) {
        for (Audio a : unplayed) {
            if (a.clearedAt == null && !a.start.isAfter(now) && a.end.isAfter(now)) {
                return true;
            }
        }
        return false;
    }

    /** When the audio written so far will have finished playing. */
    Instant playsUntil() {
        return lastEnd;
    }
}
