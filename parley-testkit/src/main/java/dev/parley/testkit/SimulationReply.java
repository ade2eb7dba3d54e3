package dev.parley.testkit;

import dev.parley.machine.Effect;
import dev.parley.machine.Signal;
import dev.parley.machine.Signal.ReplyStatus;
import dev.parley.machine.Signal.ToolOutcome;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A simulated reply (model, tools and speech) that answers a {@link Effect.StartReply}: it writes chunks to the far
 * end and posts their signals, runs tools, and finishes with well-formed steps. A gated reply writes nothing and runs
 * no tool until released; a cancelled one stops at once and posts {@code ReplyFinished} promptly; nothing is posted
 * after {@code ReplyFinished}.
 */
final class SimulationReply {
    private sealed interface Step {}

    private record Speak(String text) implements Step {}

    private record Tools(List<Tool> tools) implements Step {}

    private record Fail() implements Step {}

    private record Tool(ToolCall call, Duration runs, Signal.@Nullable CallControl control) {}

    private final SimulationCall call;
    private final Random rnd;
    final int id;
    private final Deque<Step> plan = new ArrayDeque<>();
    private final List<ChatMessage> steps = new ArrayList<>();
    private boolean gated;
    private final boolean failsWhileGated;
    private boolean started;
    private boolean muted;
    private boolean cancelled;
    private boolean finished;
    private int nextIndex;
    private Instant lastPost = Instant.EPOCH;
    private SimulationCall.@Nullable Ev next;
    private final List<Tool> running = new ArrayList<>();
    private final List<SimulationCall.Ev> toolEvents = new ArrayList<>();

    SimulationReply(SimulationCall call, Effect.StartReply start) {
        this.call = call;
        this.rnd = call.rnd();
        this.id = start.replyId();
        this.gated = start.gated();
        this.failsWhileGated = gated && rnd.nextInt(40) == 0;
        if (!start.fixedText().isBlank()) {
            for (String s : SimulationText.sentences(start.fixedText())) {
                plan.add(new Speak(s));
            }
            if (rnd.nextInt(60) == 0) {
                plan.add(new Fail());
            }
        } else {
            planModelReply();
        }
    }

    private void planModelReply() {
        if (rnd.nextInt(4) == 0) {
            if (rnd.nextBoolean()) {
                plan.add(new Speak(SimulationText.pick(rnd, SimulationText.PREFACES)));
            }
            int toolSteps = 1 + (rnd.nextInt(4) == 0 ? 1 : 0);
            for (int s = 0; s < toolSteps; s++) {
                List<Tool> tools = new ArrayList<>();
                int n = 1 + (rnd.nextInt(3) == 0 ? 1 : 0);
                for (int i = 0; i < n; i++) {
                    Signal.CallControl control = rnd.nextInt(25) == 0
                            ? (rnd.nextBoolean() ? Signal.CallControl.TRANSFER : Signal.CallControl.HANG_UP) : null;
                    String name = control == null ? SimulationText.pick(rnd, SimulationText.TOOLS)
                            : control == Signal.CallControl.TRANSFER ? "transfer_to_human" : "end_call";
                    String callId = "call_" + id + "_" + s + "_" + i;
                    Duration runs = rnd.nextInt(3) == 0 ? SimulationText.between(rnd, 800, 3500)
                            : SimulationText.between(rnd, 20, 700);
                    tools.add(new Tool(new ToolCall(callId, name, "{\"n\":" + i + "}"), runs, control));
                }
                plan.add(new Tools(tools));
            }
        }
        int sentences = 1 + rnd.nextInt(3);
        for (int i = 0; i < sentences; i++) {
            plan.add(new Speak(SimulationText.pick(rnd, SimulationText.AGENT)));
        }
        if (rnd.nextInt(25) == 0) {
            List<Step> l = new ArrayList<>(plan);
            l.add(rnd.nextInt(l.size() + 1), new Fail());
            plan.clear();
            plan.addAll(l);
        }
    }

    /** The StartReply effect was applied. */
    void begin() {
        if (gated) {
            if (failsWhileGated) { // the model failed while the speculative reply was being prepared
                next = call.after(SimulationText.between(rnd, 100, 1500), () -> {
                    if (gated && !cancelled && !finished) {
                        finish(ReplyStatus.FAILED, call.now(), "model error while gated");
                    }
                });
            }
            return;
        }
        go(SimulationText.between(rnd, 150, 1500));
    }

    void release() {
        if (!gated || cancelled || finished) {
            return;
        }
        gated = false;
        if (next != null) {
            next.dead = true;
        }
        go(SimulationText.between(rnd, 10, 300)); // prepared while gated
    }

    private void go(Duration delay) {
        started = true;
        next = call.after(delay, this::act);
    }

    private void act() {
        if (cancelled || muted || finished) {
            return;
        }
        Step step = plan.poll();
        switch (step) {
            case null -> finish(ReplyStatus.COMPLETED, call.now(), "");
            case Speak s -> {
                Duration audio = speak(s.text());
                next = call.after(SimulationText.between(rnd, 20, Math.max(30, audio.toMillis() * 9 / 10)), this::act);
            }
            case Tools t -> runTools(t.tools());
            case Fail f -> finish(ReplyStatus.FAILED, call.now(), "model error");
        }
    }

    /** Writes one chunk now and posts its signal a little later; returns its audio length. */
    private Duration speak(String text) {
        Duration audio = SimulationText.audioFor(rnd, text);
        List<WordTiming> words = rnd.nextBoolean() ? SimulationText.timings(rnd, text, audio) : List.of();
        int index = nextIndex++;
        Instant now = call.now();
        Instant postAt = postTime(now.plus(SimulationText.between(rnd, 0, Math.max(1, audio.toMillis() / 3))));
        call.farEnd().write(id, index, audio, postAt);
        call.caller().agentWrote(text, call.farEnd().playsUntil().minus(audio), audio);
        Duration writing = Duration.between(now, postAt);
        Signal chunk = new Signal.ReplyChunk(id, index, text, audio, words, writing);
        lastPost = postAt;
        call.at(postAt, () -> {
            if (!muted) { // muted while writing: the reply stops before writing the mark and posts nothing
                call.deliver(chunk);
            }
        });
        call.stats().chunks++;
        return audio;
    }

    private void runTools(List<Tool> tools) {
        Instant now = call.now();
        steps.add(new ChatMessage.Assistant("", tools.stream().map(Tool::call).toList(), false));
        for (Tool t : tools) {
            running.add(t);
            post(new Signal.ToolStarted(id, t.call().id(), t.call().name()), now);
            call.stats().tools++;
            if (t.control() != null) {
                Signal control = new Signal.CallControlRequested(id, t.control(), "tool " + t.call().name());
                toolEvents.add(call.after(t.runs().dividedBy(2), () -> post(control, call.now())));
            }
            toolEvents.add(call.after(t.runs(), () -> toolDone(t, ToolOutcome.OK)));
        }
    }

    private void toolDone(Tool t, ToolOutcome outcome) {
        if (finished || !running.remove(t)) {
            return;
        }
        ToolOutcome o = outcome == ToolOutcome.OK && rnd.nextInt(15) == 0 ? ToolOutcome.ERROR : outcome;
        post(new Signal.ToolFinished(id, t.call().id(), t.call().name(), o), call.now());
        steps.add(new ChatMessage.ToolResult(t.call().id(), t.call().name(), "{\"outcome\":\"" + o + "\"}"));
        if (running.isEmpty() && !cancelled) {
            next = call.after(SimulationText.between(rnd, 150, 900), this::act);
        }
    }

    /** Speak a filler inside the running reply. */
    void say(String text) {
        if (gated || cancelled || muted || finished) {
            return;
        }
        call.after(SimulationText.between(rnd, 20, 200), () -> {
            if (!cancelled && !muted && !finished) {
                speak(text);
            }
        });
    }

    /** The far end was cleared: this reply writes no more audio. */
    void mute() {
        muted = true;
    }

    void cancel() {
        if (cancelled || finished) {
            return;
        }
        cancelled = true;
        muted = true;
        if (next != null) {
            next.dead = true;
        }
        toolEvents.forEach(e -> e.dead = true);
        Instant now = call.now();
        for (Tool t : List.copyOf(running)) { // cancellable tools stop; the report keeps the steps well-formed
            toolDone(t, ToolOutcome.CANCELLED);
        }
        boolean race = started && plan.isEmpty() && rnd.nextInt(10) == 0; // it had just completed
        finish(race ? ReplyStatus.COMPLETED : ReplyStatus.INTERRUPTED, now.plus(SimulationText.between(rnd, 5, 150)),
                "");
    }

    private void finish(ReplyStatus status, Instant at, String error) {
        if (next != null) {
            next.dead = true;
        }
        post(new Signal.ReplyFinished(id, status, List.copyOf(steps), error), at);
        finished = true;
        call.stats().replies++;
    }

    private Instant postTime(Instant wanted) {
        Instant now = call.now();
        Instant t = wanted.isBefore(now) ? now : wanted;
        return t.isAfter(lastPost) ? t : lastPost.plusNanos(1000);
    }

    /** Posts a signal of this reply; the reply's signals arrive in the order posted. */
    private void post(Signal signal, Instant wanted) {
        if (finished) {
            throw new IllegalStateException("simulation bug: reply " + id + " posts " + signal + " after finishing");
        }
        Instant at = postTime(wanted);
        lastPost = at;
        call.at(at, () -> call.deliver(signal));
    }

    boolean finished() {
        return finished;
    }
}
