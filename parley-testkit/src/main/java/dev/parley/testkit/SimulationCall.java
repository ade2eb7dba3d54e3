package dev.parley.testkit;

import dev.parley.CallEvent;
import dev.parley.CallPolicy;
import dev.parley.Interruptions;
import dev.parley.Prompts;
import dev.parley.TurnTaking;
import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Signal;
import dev.parley.testkit.Simulation.Invariant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * One simulated call: a {@link MachineDriver} in virtual time and a model of the world around it (caller, replies,
 * far end) that reacts to the machine's effects, with every decision checked by {@link SimulationInvariants}.
 */
final class SimulationCall {
    /** A scheduled world event. */
    static final class Ev {
        final Instant at;
        final long seq;
        final Runnable action;
        boolean dead;
        boolean done;

        Ev(Instant at, long seq, Runnable action) {
            this.at = at;
            this.seq = seq;
            this.action = action;
        }
    }

    /** How a call ended for the simulation: the violation if one was found. */
    record Outcome(long seed, CallPolicy policy, SimulationInvariants.@Nullable Violation violation, int signals) {}

    private static final int MAX_SIGNALS = 1500;
    private static final Duration MAX_CALL = Duration.ofMinutes(15);

    private final long seed;
    private final Random rnd;
    private final CallPolicy policy;
    private final MachineDriver driver;
    private final Instant start;
    private final PriorityQueue<Ev> queue = new PriorityQueue<>(
            Comparator.comparing((Ev e) -> e.at).thenComparingLong(e -> e.seq));
    private long seq;
    private final LinkedHashMap<String, Instant> timers = new LinkedHashMap<>();
    private final Map<Integer, SimulationReply> replies = new HashMap<>();
    private final SimulationFarEnd farEnd;
    private final SimulationCaller caller;
    private final SimulationInvariants invariants;
    private final Simulation.Counters stats;
    private SimulationInvariants.@Nullable Violation violation;
    private boolean over;
    private boolean forcedHangUp;
    private int signals;

    SimulationCall(long seed, Simulation.Counters stats, boolean lenientClearOrder) {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.policy = randomPolicy(rnd);
        this.driver = new MachineDriver(policy);
        this.start = driver.now();
        this.stats = stats;
        this.farEnd = new SimulationFarEnd(this);
        this.caller = new SimulationCaller(this);
        this.invariants = new SimulationInvariants(farEnd::played, lenientClearOrder);
    }

    static CallPolicy randomPolicy(Random rnd) {
        TurnTaking turns = new TurnTaking(SimulationText.between(rnd, 250, 900), 1 + rnd.nextInt(3), rnd.nextBoolean(),
                SimulationText.between(rnd, 1200, 3500), rnd.nextInt(3) == 0 ? 0.0 : rnd.nextDouble() * 0.7,
                SimulationText.between(rnd, 300, 1500));
        Interruptions interruptions = new Interruptions(SimulationText.between(rnd, 1, 300), rnd.nextInt(3),
                SimulationText.between(rnd, 1, 400), Interruptions.DEFAULT_BACKCHANNELS, rnd.nextInt(10) < 7,
                SimulationText.between(rnd, 600, 2500));
        Prompts d = Prompts.defaults();
        List<String> idle = switch (rnd.nextInt(3)) {
            case 0 -> List.of();
            case 1 -> List.of("Are you still there?");
            default -> List.of("Are you still there?", "Hello? Can you hear me?");
        };
        Prompts prompts = new Prompts(rnd.nextBoolean() ? "Thanks for calling Tony's Pizza! How can I help you?" : "",
                SimulationText.between(rnd, 400, 2000), d.fillers(), SimulationText.between(rnd, 4000, 10000), idle,
                d.goodbye(), 1 + rnd.nextInt(3), SimulationText.between(rnd, 800, 2500));
        return new CallPolicy(turns, interruptions, prompts);
    }

    Random rnd() {
        return rnd;
    }

    Instant now() {
        return driver.now();
    }

    boolean over() {
        return over;
    }

    SimulationFarEnd farEnd() {
        return farEnd;
    }

    SimulationCaller caller() {
        return caller;
    }

    Simulation.Counters stats() {
        return stats;
    }

    CallPolicy policy() {
        return policy;
    }

    Ev at(Instant at, Runnable action) {
        Ev e = new Ev(at.isBefore(now()) ? now() : at, seq++, action);
        queue.add(e);
        return e;
    }

    Ev after(Duration delay, Runnable action) {
        return at(now().plus(delay), action);
    }

    Outcome run() {
        at(now(), () -> deliver(new Signal.CallStarted()));
        caller.start();
        while (violation == null) {
            Ev next = queue.peek();
            while (next != null && next.dead) {
                queue.poll();
                next = queue.peek();
            }
            Instant timer = nextTimer();
            if (next == null && timer == null) {
                break;
            }
            if (timer != null && (next == null || !timer.isAfter(next.at))) {
                fireTimers(timer);
            } else if (next != null) {
                queue.poll();
                if (next.at.isAfter(now())) {
                    driver.advance(Duration.between(now(), next.at));
                }
                next.done = true;
                next.action.run();
            }
            if (!over && !forcedHangUp && (signals > MAX_SIGNALS || now().isAfter(start.plus(MAX_CALL)))) {
                forcedHangUp = true;
                deliver(new Signal.CallerHungUp("simulation limit"));
            }
            if (signals > MAX_SIGNALS + 1000) {
                violation = new SimulationInvariants.Violation(Invariant.WORLD, "the call did not settle");
            }
        }
        if (violation == null && !over) {
            violation = new SimulationInvariants.Violation(Invariant.WORLD, "the world went quiet before the call ended");
        }
        if (violation == null) {
            for (SimulationReply r : replies.values()) {
                if (!r.finished()) {
                    violation = new SimulationInvariants.Violation(Invariant.WORLD, "reply " + r.id + " never finished");
                }
            }
        }
        return new Outcome(seed, policy, violation, signals);
    }

    private @Nullable Instant nextTimer() {
        Instant min = null;
        for (Instant t : timers.values()) {
            if (min == null || t.isBefore(min)) {
                min = t;
            }
        }
        return min;
    }

    /** One decision of the machine for a world signal, checked, then applied to the world. */
    void deliver(Signal signal) {
        if (violation != null) {
            return;
        }
        CallState before = driver.state();
        List<Effect> effects = driver.send(signal);
        decided(signal, before, driver.state(), effects, true);
    }

    /**
     * Fires the timers due at {@code at}. The driver fires them all at once; when several are due together, each
     * decision is recomputed (the machine is pure) so the invariants are still checked decision by decision.
     */
    private void fireTimers(Instant at) {
        int due = 0;
        for (Instant t : timers.values()) {
            if (!t.isAfter(at)) {
                due++;
            }
        }
        Duration step = at.isAfter(now()) ? Duration.between(now(), at) : Duration.ZERO;
        if (due == 1) {
            String name = null;
            for (Map.Entry<String, Instant> e : timers.entrySet()) {
                if (!e.getValue().isAfter(at)) {
                    name = e.getKey();
                }
            }
            timers.remove(name);
            CallState before = driver.state();
            List<Effect> effects = driver.advance(step);
            decided(new Signal.TimerFired(name), before, driver.state(), effects, true);
            return;
        }
        stats.timerTies++;
        record Step(Signal signal, CallState before, CallState after, List<Effect> effects) {}
        List<Step> steps = new ArrayList<>();
        List<Effect> all = new ArrayList<>();
        CallMachine machine = driver.machine();
        CallState s = driver.state();
        Instant t = at.isAfter(now()) ? at : now();
        while (true) {
            Map.Entry<String, Instant> first = null;
            for (Map.Entry<String, Instant> e : timers.entrySet()) {
                if (!e.getValue().isAfter(at) && (first == null || e.getValue().isBefore(first.getValue()))) {
                    first = e;
                }
            }
            if (first == null) {
                break;
            }
            String name = first.getKey();
            timers.remove(name);
            Signal fired = new Signal.TimerFired(name);
            CallMachine.Decision d = machine.on(s, fired, t);
            steps.add(new Step(fired, s, d.state(), d.effects()));
            all.addAll(d.effects());
            trackTimers(d.effects());
            s = d.state();
        }
        List<Effect> caused = driver.advance(step);
        signals += steps.size();
        if (!caused.equals(all)) {
            violation = new SimulationInvariants.Violation(Invariant.WORLD, "timer decisions differ from the driver's");
            return;
        }
        for (Step st : steps) {
            decided(st.signal(), st.before(), st.after(), st.effects(), false);
        }
    }

    private void decided(Signal signal, CallState before, CallState after, List<Effect> effects, boolean track) {
        if (violation != null) {
            return;
        }
        if (track) {
            signals++;
            trackTimers(effects);
        }
        stats.decisions++;
        Optional<SimulationInvariants.Violation> v = invariants.check(signal, before, after, effects, now());
        if (v.isPresent()) {
            violation = v.get();
            return;
        }
        if (after.ended()) {
            over = true;
        }
        react(effects);
        if (after.callerHoldsFloor() && farEnd.playing(now())) {
            violation = new SimulationInvariants.Violation(Invariant.CALLER_FLOOR,
                    "agent audio is playing at the far end while the caller holds the floor");
        }
    }

    private void trackTimers(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.StartTimer t) {
                timers.put(t.name(), t.at());
            } else if (e instanceof Effect.CancelTimer t) {
                timers.remove(t.name());
            }
        }
    }

    /** The world applies the effects, as the conductor would. */
    private void react(List<Effect> effects) {
        for (Effect e : effects) {
            switch (e) {
                case Effect.ClearPlayback c -> {
                    replies.values().forEach(SimulationReply::mute);
                    farEnd.clear();
                    stats.clears++;
                }
                case Effect.StartReply s -> {
                    SimulationReply r = new SimulationReply(this, s);
                    replies.put(s.replyId(), r);
                    r.begin();
                    if (!s.fixedText().isEmpty()) {
                        stats.fixedReplies++;
                    }
                }
                case Effect.ReleaseReply r -> reply(r.replyId()).release();
                case Effect.CancelReply c -> reply(c.replyId()).cancel();
                case Effect.Say s -> {
                    reply(s.replyId()).say(s.text());
                    stats.fillers++;
                }
                case Effect.FinalizeTranscript f -> caller.finalizeRequested();
                case Effect.Transfer t -> stats.transfers++;
                case Effect.HangUp h -> stats.hangUps++;
                case Effect.StartTimer t -> { }
                case Effect.CancelTimer t -> { }
                case Effect.Emit(CallEvent event) -> count(event);
            }
        }
    }

    private SimulationReply reply(int id) {
        SimulationReply r = replies.get(id);
        if (r == null) {
            throw new IllegalStateException("simulation bug: no reply " + id);
        }
        return r;
    }

    private void count(CallEvent event) {
        switch (event) {
            case CallEvent.AgentInterrupted a -> stats.bargeIns++;
            case CallEvent.InterruptionIgnored i -> stats.ignored++;
            case CallEvent.InterruptionResumed r -> stats.resumes++;
            case CallEvent.SpeculationKept k -> stats.speculationsKept++;
            case CallEvent.SpeculationDiscarded d -> stats.speculationsDiscarded++;
            case CallEvent.UserTurn u -> stats.userTurns++;
            case CallEvent.DtmfReceived d -> stats.dtmf++;
            default -> { }
        }
    }

    List<String> journal() {
        return driver.journal();
    }
}
