package dev.parley.bench;

import dev.parley.CallPolicy;
import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a {@link CallMachine} in virtual time, firing the timers it sets in order as time advances, and keeps every
 * signal with its arrival time, the journal, and the effects. Only for recording a call once, outside measurement.
 */
final class Recorder {
    private final CallMachine machine;
    private CallState state;
    private Instant now = Instant.parse("2026-01-01T12:00:00Z");
    private final Map<String, Instant> timers = new HashMap<>();
    final List<Signal> signals = new ArrayList<>();
    final List<Instant> times = new ArrayList<>();
    final List<String> journal = new ArrayList<>();
    final List<Effect> effects = new ArrayList<>();
    private final Journal writer;

    Recorder(CallPolicy policy) {
        machine = new CallMachine(policy);
        state = machine.initial();
        writer = new Journal("bench", policy, journal::add);
    }

    void send(Signal signal) {
        CallMachine.Decision d = machine.on(state, signal, now);
        state = d.state();
        signals.add(signal);
        times.add(now);
        writer.append(now, signal, d.effects());
        effects.addAll(d.effects());
        for (Effect e : d.effects()) {
            switch (e) {
                case Effect.StartTimer t -> timers.put(t.name(), t.at());
                case Effect.CancelTimer t -> timers.remove(t.name());
                default -> { }
            }
        }
    }

    /** Moves time on by {@code d}, firing due timers at their own times, earliest first. */
    void advance(Duration d) {
        Instant end = now.plus(d);
        while (true) {
            Map.Entry<String, Instant> due = null;
            for (Map.Entry<String, Instant> t : timers.entrySet()) {
                if (!t.getValue().isAfter(end) && (due == null || t.getValue().isBefore(due.getValue()))) {
                    due = t;
                }
            }
            if (due == null) {
                break;
            }
            String name = due.getKey();
            if (due.getValue().isAfter(now)) {
                now = due.getValue();
            }
            timers.remove(name);
            send(new Signal.TimerFired(name));
        }
        now = end;
    }

    Effect.StartReply lastStart() {
        for (int i = effects.size() - 1; i >= 0; i--) {
            if (effects.get(i) instanceof Effect.StartReply s) {
                return s;
            }
        }
        throw new IllegalStateException("no reply was started");
    }
}
