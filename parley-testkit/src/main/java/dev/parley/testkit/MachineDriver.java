package dev.parley.testkit;

import dev.parley.CallEvent;
import dev.parley.CallPolicy;
import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a {@link CallMachine} in virtual time, with no threads: signals are applied at the driver's clock, timers
 * the machine sets fire in order when time is advanced, and everything is journalled. For pure scenario tests and
 * simulations.
 */
public final class MachineDriver {
    private final CallMachine machine;
    private CallState state;
    private Instant now;
    private final Map<String, Instant> timers = new LinkedHashMap<>();
    private final List<Effect> effects = new ArrayList<>();
    private final List<String> journalLines = new ArrayList<>();
    private final Journal journal;

    public MachineDriver(CallPolicy policy) {
        this(policy, Instant.parse("2026-01-01T12:00:00Z"));
    }

    public MachineDriver(CallPolicy policy, Instant start) {
        this.machine = new CallMachine(policy);
        this.state = machine.initial();
        this.now = start;
        this.journal = new Journal("sim", policy, journalLines::add);
    }

    /** Applies a signal now; returns the effects it caused. */
    public List<Effect> send(Signal signal) {
        CallMachine.Decision d = machine.on(state, signal, now);
        state = d.state();
        journal.append(now, signal, d.effects());
        effects.addAll(d.effects());
        for (Effect e : d.effects()) {
            if (e instanceof Effect.StartTimer t) {
                timers.put(t.name(), t.at());
            } else if (e instanceof Effect.CancelTimer t) {
                timers.remove(t.name());
            }
        }
        return d.effects();
    }

    /** Moves time forward, firing due timers at their own times (in order); returns the effects caused. */
    public List<Effect> advance(Duration d) {
        Instant end = now.plus(d);
        List<Effect> caused = new ArrayList<>();
        while (true) {
            var due = timers.entrySet().stream().filter(e -> !e.getValue().isAfter(end))
                    .min(Map.Entry.comparingByValue(Comparator.naturalOrder()));
            if (due.isEmpty()) {
                break;
            }
            String name = due.get().getKey();
            Instant at = due.get().getValue();
            timers.remove(name);
            if (at.isAfter(now)) {
                now = at;
            }
            caused.addAll(send(new Signal.TimerFired(name)));
        }
        now = end;
        return caused;
    }

    /** Advances time only as far as the next timer (if any within {@code max}), firing it. */
    public List<Effect> advanceToNextTimer(Duration max) {
        Instant limit = now.plus(max);
        var next = timers.values().stream().filter(t -> !t.isAfter(limit)).min(Comparator.naturalOrder());
        if (next.isEmpty()) {
            now = limit;
            return List.of();
        }
        return advance(Duration.between(now, next.get()));
    }

    public Instant now() {
        return now;
    }

    public CallState state() {
        return state;
    }

    public CallMachine machine() {
        return machine;
    }

    /** Names of timers pending now. */
    public List<String> pendingTimers() {
        return List.copyOf(timers.keySet());
    }

    /** Every effect so far, in order. */
    public List<Effect> effects() {
        return List.copyOf(effects);
    }

    /** Every call event so far, in order. */
    public List<CallEvent> events() {
        return effects.stream().filter(e -> e instanceof Effect.Emit).map(e -> ((Effect.Emit) e).event()).toList();
    }

    public List<String> journal() {
        return List.copyOf(journalLines);
    }

    /** The id of the most recent {@link Effect.StartReply}, or -1. */
    public int lastReplyId() {
        int id = -1;
        for (Effect e : effects) {
            if (e instanceof Effect.StartReply s) {
                id = s.replyId();
            }
        }
        return id;
    }

    /** The most recent StartReply effect. */
    public Effect.StartReply lastStart() {
        for (int i = effects.size() - 1; i >= 0; i--) {
            if (effects.get(i) instanceof Effect.StartReply s) {
                return s;
            }
        }
        throw new IllegalStateException("no reply was started");
    }
}
