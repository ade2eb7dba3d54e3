package dev.parley.testkit;

import dev.parley.CallPolicy;
import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Signal;
import dev.parley.machine.Signal.ReplyStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scripted call checked like a simulated one: signals go through a {@link MachineDriver}, every decision through
 * {@link SimulationInvariants}, with a minimal far end (chunks play in order from when they arrive; a clear stops
 * them) as the truth of what the caller heard. Timers fire in 1 ms steps, so each is a decision of its own.
 */
final class SimulationProbe {
    final MachineDriver d;
    final SimulationInvariants invariants;
    final List<SimulationInvariants.Violation> violations = new ArrayList<>();
    private final Map<String, Instant[]> audio = new HashMap<>(); // mark -> {start, end, clearedAt or null}
    private Instant lastEnd = Instant.EPOCH;

    SimulationProbe() {
        this(CallPolicy.defaults());
    }

    SimulationProbe(CallPolicy policy) {
        this(policy, false);
    }

    SimulationProbe(boolean lenientClearOrder) {
        this(CallPolicy.defaults(), lenientClearOrder);
    }

    SimulationProbe(CallPolicy policy, boolean lenientClearOrder) {
        d = new MachineDriver(policy);
        invariants = new SimulationInvariants(this::played, lenientClearOrder);
    }

    static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    Duration played(int replyId, int index, Instant at) {
        Instant[] a = audio.get(CallMachine.markName(replyId, index));
        if (a == null) {
            return Duration.ZERO;
        }
        Instant until = a[2] != null && a[2].isBefore(at) ? a[2] : at;
        if (!until.isAfter(a[0])) {
            return Duration.ZERO;
        }
        Duration p = Duration.between(a[0], until);
        Duration len = Duration.between(a[0], a[1]);
        return p.compareTo(len) > 0 ? len : p;
    }

    List<Effect> send(Signal s) {
        if (s instanceof Signal.ReplyChunk c) {
            Instant written = d.now().minus(c.writing());
            Instant start = written.isAfter(lastEnd) ? written : lastEnd;
            lastEnd = start.plus(c.audio());
            audio.put(CallMachine.markName(c.replyId(), c.index()), new Instant[] {start, lastEnd, null});
        }
        CallState before = d.state();
        List<Effect> effects = d.send(s);
        checked(s, before, effects);
        return effects;
    }

    private void checked(Signal s, CallState before, List<Effect> effects) {
        if (effects.contains(new Effect.ClearPlayback())) {
            for (Instant[] a : audio.values()) {
                if (a[2] == null && a[1].isAfter(d.now())) {
                    a[2] = d.now();
                }
            }
            lastEnd = d.now();
        }
        invariants.check(s, before, d.state(), effects, d.now()).ifPresent(violations::add);
    }

    /** Moves time on in 1 ms steps, so that each timer is checked as its own decision. */
    void advance(Duration by) {
        Instant end = d.now().plus(by);
        while (d.now().isBefore(end)) {
            CallState before = d.state();
            int lines = d.journal().size();
            List<Effect> effects = d.advance(ms(1));
            if (d.journal().size() > lines) {
                checked(new Signal.TimerFired("timer"), before, effects);
            }
        }
    }

    void callerSays(String text) {
        send(new Signal.CallerSpeechStarted(Duration.ZERO));
        advance(ms(300));
        send(new Signal.TranscriptInterim(text));
        advance(ms(200));
        send(new Signal.TranscriptInterim(text));
        advance(ms(100));
        send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(600)));
        advance(ms(150));
        send(new Signal.TranscriptFinal(text, true));
        advance(ms(360)); // the turn ends after 500 ms of silence
    }

    void chunk(int reply, int index, String text, long audioMs) {
        send(new Signal.ReplyChunk(reply, index, text, ms(audioMs), List.of(), Duration.ZERO));
    }

    void finished(int reply, ReplyStatus status) {
        send(new Signal.ReplyFinished(reply, status, List.of(), ""));
    }

    Optional<SimulationInvariants.Violation> firstViolation() {
        return violations.stream().findFirst();
    }
}
