package dev.parley.testkit;

import static dev.parley.testkit.SimulationProbe.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.CallEvent;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.machine.Signal.ReplyStatus;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import dev.parley.testkit.Simulation.Invariant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Simulated calls through the machine, and proof that the invariant checks catch what they are meant to. */
class SimulationTest {
    @Test
    void tenThousandCallsKeepEveryInvariant() {
        Simulation.Report r = Simulation.builder().seed(20260101).calls(10_000).build().run();
        System.out.println(r.summary());
        assertThat(r.failures()).as(() -> r.failures().stream().limit(3).map(Object::toString).toList().toString())
                .isEmpty();
        assertThat(r.calls()).isEqualTo(10_000);
        assertThat(r.replayed()).isEqualTo(100);
        Simulation.Stats s = r.stats();
        // the runs reach every behaviour the invariants are about
        assertThat(List.of(s.bargeIns(), s.ignoredInterruptions(), s.resumes(), s.speculationsKept(),
                s.speculationsDiscarded(), s.tools(), s.fillers(), s.dtmf(), s.transfers(), s.hangUps()))
                .allMatch(n -> n > 0);
        assertThat(r.signals()).isGreaterThan(400_000);
    }

    @Test
    void theSameSeedPlaysTheSameCalls() {
        Simulation.Report a = Simulation.builder().seed(7).calls(40).replayEvery(0).threads(1).build().run();
        Simulation.Report b = Simulation.builder().seed(7).calls(40).replayEvery(0).threads(3).build().run();
        Simulation.Report c = Simulation.builder().seed(8).calls(40).replayEvery(0).build().run();
        assertThat(b.signals()).isEqualTo(a.signals());
        assertThat(b.stats()).isEqualTo(a.stats());
        assertThat(b.failures()).isEqualTo(a.failures());
        assertThat(c.stats()).isNotEqualTo(a.stats());
        long seed = Simulation.callSeed(7, 0);
        Simulation.Report one = Simulation.call(seed);
        assertThat(one.signals()).isGreaterThan(10);
        assertThat(Simulation.call(seed)).satisfies(again -> {
            assertThat(again.signals()).isEqualTo(one.signals());
            assertThat(again.stats()).isEqualTo(one.stats());
        });
    }

    // ---- the checkers catch violations -----------------------------------------------------------------------

    private final SimulationProbe p = new SimulationProbe();

    /** Feeds a hand-made effect list to the checker as the outcome of one decision. */
    private Optional<SimulationInvariants.Violation> decide(Signal signal, CallState before, List<Effect> effects) {
        return p.invariants.check(signal, before, p.d.state(), effects, p.d.now());
    }

    private static Effect.StartReply start(int id) {
        return new Effect.StartReply(id, "", "", false, true);
    }

    @Test
    void catchesASecondLiveReply() {
        CallState s = p.d.state();
        assertThat(decide(new Signal.CallStarted(), s, List.of(start(1)))).isEmpty();
        assertThat(decide(new Signal.DtmfPressed("#"), s, List.of(start(2))))
                .hasValueSatisfying(v -> assertThat(v.invariant()).isEqualTo(Invariant.ONE_LIVE_REPLY));
    }

    @Test
    void aReplyMayStartOnceTheLiveOneFinished() {
        CallState s = p.d.state();
        assertThat(decide(new Signal.CallStarted(), s, List.of(start(1)))).isEmpty();
        assertThat(decide(new Signal.ReplyFinished(1, ReplyStatus.COMPLETED, List.of(), ""), s, List.of(start(2))))
                .isEmpty();
    }

    @Test
    void catchesABargeInThatDoesNotClearFirst() {
        CallState s = p.d.state();
        List<Effect> late = List.of(new Effect.CancelReply(1, "barge-in"), new Effect.ClearPlayback(),
                new Effect.Emit(new CallEvent.AgentInterrupted(1, "")));
        assertThat(decide(new Signal.CallerSpeechStarted(Duration.ZERO), s, late))
                .hasValueSatisfying(v -> assertThat(v.invariant()).isEqualTo(Invariant.CALLER_FLOOR));
        List<Effect> first = List.of(new Effect.ClearPlayback(), new Effect.CancelReply(1, "barge-in"),
                new Effect.Emit(new CallEvent.AgentInterrupted(1, "")));
        assertThat(decide(new Signal.CallerSpeechStarted(Duration.ZERO), s, first)).isEmpty();
    }

    @Test
    void catchesAReleaseWhileTheCallerHoldsTheFloor() {
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        assertThat(p.d.state().callerHoldsFloor()).isTrue();
        assertThat(decide(new Signal.TranscriptInterim("i want"), p.d.state(), List.of(new Effect.ReleaseReply(1))))
                .hasValueSatisfying(v -> assertThat(v.invariant()).isEqualTo(Invariant.CALLER_FLOOR));
    }

    @Test
    void catchesAReplyStartedAfterTheCallEnded() {
        p.send(new Signal.CallerHungUp("bye"));
        assertThat(p.d.state().ended()).isTrue();
        assertThat(decide(new Signal.TimerFired("idle#0"), p.d.state(), List.of(start(5))))
                .hasValueSatisfying(v -> assertThat(v.invariant()).isEqualTo(Invariant.NOTHING_AFTER_END));
        assertThat(decide(new Signal.TimerFired("idle#0"), p.d.state(), List.of(new Effect.Say(5, "hi"))))
                .hasValueSatisfying(v -> assertThat(v.invariant()).isEqualTo(Invariant.NOTHING_AFTER_END));
    }

    @Test
    void catchesAToolCallWithoutResult() {
        p.callerSays("add a coke");
        ToolCall call = new ToolCall("call_1", "add_item", "{}");
        p.send(new Signal.ReplyFinished(1, ReplyStatus.COMPLETED,
                List.of(new ChatMessage.Assistant("", List.of(call), false)), "")); // no ToolResult
        assertThat(p.firstViolation())
                .hasValueSatisfying(v -> assertThat(v.invariant()).isEqualTo(Invariant.TOOL_CALLS_ANSWERED));
    }

    @Test
    void wellFormedToolStepsPass() {
        p.callerSays("add a coke");
        ToolCall call = new ToolCall("call_1", "add_item", "{}");
        p.send(new Signal.ToolStarted(1, "call_1", "add_item"));
        p.send(new Signal.ToolFinished(1, "call_1", "add_item", Signal.ToolOutcome.OK));
        p.chunk(1, 0, "Added a coke.", 900);
        p.send(new Signal.ReplyFinished(1, ReplyStatus.COMPLETED, List.of(new ChatMessage.Assistant("", List.of(call),
                false), new ChatMessage.ToolResult("call_1", "add_item", "ok")), ""));
        p.advance(ms(1000));
        assertThat(p.violations).isEmpty();
        assertThat(p.d.state().history()).hasSize(4);
    }

    @Test
    void catchesHeardWordsBeyondWhatWasPlayed() {
        // the far end only starts this chunk 1.5 s after it was written (queued behind other audio the machine
        // was not told about); the machine thinks 1.1 s of it was heard, the caller heard none
        SimulationProbe late = new SimulationProbe();
        late.callerSays("what sizes do you have");
        late.send(new Signal.ReplyChunk(1, 0, "We have small, medium and large pizzas.", ms(3000), List.of(),
                Duration.ZERO));
        SimulationInvariants strict = new SimulationInvariants((r, i, at) -> Duration.ZERO);
        // replay the call into a checker whose truth is "nothing was played"
        CallState before = late.d.state();
        strict.check(new Signal.ReplyChunk(1, 0, "We have small, medium and large pizzas.", ms(3000), List.of(),
                Duration.ZERO), before, before, List.of(start(1), new Effect.Emit(new CallEvent.AgentSpoke(1,
                "We have small, medium and large pizzas."))), late.d.now());
        late.advance(ms(1000));
        late.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        CallState beforeCut = late.d.state();
        List<Effect> cut = late.d.advance(ms(100));
        assertThat(cut).contains(new Effect.ClearPlayback());
        assertThat(strict.check(new Signal.TimerFired("barge-in"), beforeCut, late.d.state(), cut, late.d.now()))
                .hasValueSatisfying(v -> {
                    assertThat(v.invariant()).isEqualTo(Invariant.HEARD_TEXT_ONLY);
                    assertThat(v.message()).contains("at most 0 had been played");
                });
        assertThat(late.violations).isEmpty(); // with the true far end, the same cut is fine
    }

    @Test
    void catchesHistoryTextTheReplyNeverSpoke() {
        p.callerSays("hi");
        // the chunk reaches the machine but not the checker: the checker never saw these words spoken
        CallState before = p.d.state();
        p.d.send(new Signal.ReplyChunk(1, 0, "Hello there.", ms(800), List.of(), Duration.ZERO));
        p.d.advance(ms(900));
        p.send(new Signal.ReplyFinished(1, ReplyStatus.COMPLETED, List.of(), ""));
        assertThat(before.history()).doesNotContain(ChatMessage.Assistant.text("Hello there."));
        assertThat(p.firstViolation()).hasValueSatisfying(v -> {
            assertThat(v.invariant()).isEqualTo(Invariant.HEARD_TEXT_ONLY);
            assertThat(v.message()).contains("differs from what reply 1 spoke");
        });
    }

    @Test
    void aCleanScriptedCallPasses() {
        p.callerSays("what sizes do you have");
        p.chunk(1, 0, "We have small, medium and large pizzas in every flavour.", 4000);
        p.advance(ms(1700));
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        p.advance(ms(100));
        p.finished(1, ReplyStatus.INTERRUPTED);
        p.send(new Signal.TranscriptInterim("just a large please"));
        p.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(900)));
        p.send(new Signal.TranscriptFinal("just a large please", true));
        p.advance(ms(1000));
        assertThat(p.violations).isEmpty();
        assertThat(p.d.events()).anyMatch(e -> e instanceof CallEvent.AgentInterrupted);
    }

    @Test
    void journalReplayCatchesATamperedDecision() {
        p.callerSays("hi");
        List<String> journal = new ArrayList<>(p.d.journal());
        assertThat(Journal.replay(journal).identical()).isTrue();
        int last = journal.size() - 1;
        journal.set(last, journal.get(last).replace("\"ReleaseReply\"", "\"CancelReply\",\"reason\":\"x\""));
        assertThat(journal.get(last)).contains("CancelReply");
        assertThat(Journal.replay(journal).identical()).isFalse();
    }
}
