package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.CallEvent;
import dev.parley.CallPolicy;
import dev.parley.Interruptions;
import dev.parley.Prompts;
import dev.parley.TurnTaking;
import dev.parley.machine.CallMachine;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.machine.Signal.ReplyStatus;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scenario tests of the pure call machine in virtual time (no threads). */
class CallMachineTest {
    private MachineDriver d = new MachineDriver(CallPolicy.defaults());

    @AfterEach
    void journalReplaysIdentically() {
        Journal.ReplayResult r = Journal.replay(d.journal());
        assertThat(r.identical()).as(r.difference()).isTrue();
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /** The caller says {@code text}: speech, two identical interims, end of speech, then the final. */
    private void callerSays(String text) {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(300));
        d.send(new Signal.TranscriptInterim(text));
        d.advance(ms(200));
        d.send(new Signal.TranscriptInterim(text));
        d.advance(ms(100));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(600)));
        d.advance(ms(150));
        d.send(new Signal.TranscriptFinal(text, true));
        d.advance(ms(360)); // the turn ends after 500 ms of silence (the final was forced at the VAD's end)
    }

    private void chunk(int reply, int index, String text, long audioMs) {
        d.send(new Signal.ReplyChunk(reply, index, text, ms(audioMs), List.of(), Duration.ZERO));
    }

    private void played(int reply, int index) {
        d.send(new Signal.MarkPlayed(CallMachine.markName(reply, index)));
    }

    private void finished(int reply) {
        d.send(new Signal.ReplyFinished(reply, ReplyStatus.COMPLETED, List.of(), ""));
    }

    @Test
    void plainTurnWithSpeculationKept() {
        d.send(new Signal.CallStarted());
        callerSays("two large pepperoni pizzas");
        Effect.StartReply start = d.lastStart();
        assertThat(start.gated()).isTrue();
        assertThat(start.userText()).isEqualTo("two large pepperoni pizzas");
        assertThat(d.effects()).contains(new Effect.ReleaseReply(start.replyId()), new Effect.FinalizeTranscript());
        assertThat(d.events()).contains(new CallEvent.SpeculationKept(start.replyId()),
                new CallEvent.UserTurn("two large pepperoni pizzas"));
        chunk(start.replyId(), 0, "Two large pepperoni pizzas.", 1500);
        chunk(start.replyId(), 1, "Anything else?", 800);
        finished(start.replyId());
        played(start.replyId(), 0);
        played(start.replyId(), 1);
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("two large pepperoni pizzas"),
                ChatMessage.Assistant.text("Two large pepperoni pizzas. Anything else?"));
        assertThat(d.events()).contains(new CallEvent.AgentFinishedSpeaking(start.replyId()));
        assertThat(d.pendingTimers()).anyMatch(t -> t.startsWith("idle"));
    }

    @Test
    void speculationDiscardedWhenFinalDiffers() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.send(new Signal.TranscriptInterim("a large"));
        d.send(new Signal.TranscriptInterim("a large"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(500)));
        int spec = d.lastStart().replyId();
        assertThat(d.lastStart().gated()).isTrue();
        d.send(new Signal.TranscriptFinal("a large coke", true));
        d.advance(ms(500)); // end of turn: 500 ms of silence
        assertThat(d.effects()).contains(new Effect.CancelReply(spec, "speculation discarded"));
        assertThat(d.events()).contains(new CallEvent.SpeculationDiscarded(spec));
        // the replacement waits until the discarded one has finished: never two replies live
        assertThat(d.lastStart().replyId()).isEqualTo(spec);
        d.send(new Signal.ReplyFinished(spec, ReplyStatus.INTERRUPTED, List.of(), ""));
        Effect.StartReply next = d.lastStart();
        assertThat(next.replyId()).isNotEqualTo(spec);
        assertThat(next.gated()).isFalse();
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("a large coke"));
    }

    @Test
    void speculationDiscardedWhenCallerResumes() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.send(new Signal.TranscriptInterim("i want"));
        d.send(new Signal.TranscriptInterim("i want"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(400)));
        int spec = d.lastStart().replyId();
        d.advance(ms(200));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        assertThat(d.effects()).contains(new Effect.CancelReply(spec, "speculation discarded"));
        assertThat(d.effects()).doesNotContain(new Effect.ReleaseReply(spec));
    }

    @Test
    void bargeInClearsFirstAndKeepsOnlyHeardWords() {
        callerSays("what comes on the supreme");
        int r = d.lastStart().replyId();
        chunk(r, 0, "The supreme has pepperoni, sausage, peppers, onions and olives.", 4000);
        d.advance(ms(1700)); // cut at 1780 ms of 4000: 44 % of the text
        List<Effect> onSpeech = d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        assertThat(onSpeech).noneMatch(e -> e instanceof Effect.ClearPlayback); // not before min speech
        List<Effect> cut = d.advance(ms(100));
        assertThat(cut.getFirst()).isEqualTo(new Effect.ClearPlayback());
        assertThat(cut).contains(new Effect.CancelReply(r, "barge-in"));
        d.send(new Signal.ReplyFinished(r, ReplyStatus.INTERRUPTED, List.of(), ""));
        ChatMessage.Assistant heard = (ChatMessage.Assistant) d.state().history().getLast();
        assertThat(heard.interrupted()).isTrue();
        assertThat(heard.text()).isEqualTo("The supreme has pepperoni,");
        assertThat(d.state().callerHoldsFloor()).isTrue();
    }

    @Test
    void bargeInUsesWordTimingsWhenGiven() {
        callerSays("hello");
        int r = d.lastStart().replyId();
        List<WordTiming> words = List.of(new WordTiming("Welcome", ms(0), ms(400)),
                new WordTiming("to", ms(400), ms(500)), new WordTiming("Tony's", ms(500), ms(900)),
                new WordTiming("Pizza.", ms(900), ms(1400)));
        d.send(new Signal.ReplyChunk(r, 0, "Welcome to Tony's Pizza.", ms(1500), words, Duration.ZERO));
        d.advance(ms(850));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(100)); // cut at 930 ms (80 ms min speech): "Tony's" ended at 900, "Pizza." had not
        assertThat(d.events()).contains(new CallEvent.AgentInterrupted(r, "Welcome to Tony's"));
    }

    @Test
    void bargeInAfterReplyFinishedTruncatesItsHistoryMessage() {
        callerSays("hi");
        int r = d.lastStart().replyId();
        chunk(r, 0, "Hi there, what can I get you today?", 2000);
        finished(r); // generation done, audio still playing (Twilio buffers it)
        d.advance(ms(1000));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(100));
        assertThat(d.effects()).contains(new Effect.ClearPlayback());
        ChatMessage.Assistant a = (ChatMessage.Assistant) d.state().history().getLast();
        assertThat(a.interrupted()).isTrue();
        assertThat(a.text()).isEqualTo("Hi there, what can");
    }

    @Test
    void echoGuardIgnoresVoiceAloneRightAfterAgentStarts() {
        callerSays("hi");
        int r = d.lastStart().replyId();
        chunk(r, 0, "Hello and welcome to Tony's Pizza.", 2500);
        d.advance(ms(100));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO)); // within the 250 ms echo guard
        d.advance(ms(600));
        assertThat(d.effects()).doesNotContain(new Effect.ClearPlayback());
        d.send(new Signal.TranscriptInterim("hello and welcome")); // the agent's own words: echo
        assertThat(d.effects()).doesNotContain(new Effect.ClearPlayback());
        d.send(new Signal.TranscriptInterim("wait stop")); // real words do interrupt
        assertThat(d.effects()).contains(new Effect.ClearPlayback());
    }

    @Test
    void backchannelNeverInterruptsWhenWordsAreRequired() {
        d = new MachineDriver(new CallPolicy(TurnTaking.defaults(), Interruptions.defaults().minWords(1),
                Prompts.defaults()));
        callerSays("what drinks do you have");
        int r = d.lastStart().replyId();
        chunk(r, 0, "We have coke, diet coke, sprite and lemonade.", 3000);
        d.advance(ms(1000));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(200));
        d.send(new Signal.TranscriptInterim("uh huh"));
        d.advance(ms(200));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(400)));
        d.send(new Signal.TranscriptFinal("uh-huh", true));
        assertThat(d.effects()).doesNotContain(new Effect.ClearPlayback());
        assertThat(d.events()).contains(new CallEvent.InterruptionIgnored("backchannel"));
        assertThat(d.state().history()).noneMatch(m -> m instanceof ChatMessage.User u && u.text().contains("uh"));
        played(r, 0);
        finished(r);
        assertThat(d.state().history().getLast())
                .isEqualTo(ChatMessage.Assistant.text("We have coke, diet coke, sprite and lemonade."));
    }

    @Test
    void falseInterruptionResumesTheCutReply() {
        callerSays("what sizes do you have");
        int r = d.lastStart().replyId();
        chunk(r, 0, "We have small, medium and large pizzas in every flavour.", 4000);
        d.advance(ms(1000));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO)); // a cough
        d.advance(ms(100));
        assertThat(d.effects()).contains(new Effect.ClearPlayback());
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(150)));
        d.send(new Signal.ReplyFinished(r, ReplyStatus.INTERRUPTED, List.of(), ""));
        d.advance(ms(1600)); // no words within the false-interruption timeout
        Effect.StartReply resume = d.lastStart();
        assertThat(resume.replyId()).isNotEqualTo(r);
        assertThat(resume.fixedText()).isEqualTo("medium and large pizzas in every flavour.");
        assertThat(d.events()).anyMatch(e -> e instanceof CallEvent.InterruptionResumed);
        chunk(resume.replyId(), 0, resume.fixedText(), 2500);
        finished(resume.replyId());
        played(resume.replyId(), 0);
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("what sizes do you have"),
                ChatMessage.Assistant.text("We have small, medium and large pizzas in every flavour."));
    }

    @Test
    void realInterruptionIsNotResumed() {
        callerSays("what sizes do you have");
        int r = d.lastStart().replyId();
        chunk(r, 0, "We have small, medium and large pizzas in every flavour.", 4000);
        d.advance(ms(1000));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(300));
        d.send(new Signal.ReplyFinished(r, ReplyStatus.INTERRUPTED, List.of(), ""));
        d.send(new Signal.TranscriptInterim("just a large please"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(900)));
        d.send(new Signal.TranscriptFinal("just a large please", true));
        d.advance(ms(3000));
        assertThat(d.events()).noneMatch(e -> e instanceof CallEvent.InterruptionResumed);
        assertThat(d.state().history()).contains(new ChatMessage.User("just a large please"));
        assertThat(d.lastStart().fixedText()).isEmpty();
    }

    @Test
    void toolFillerAfterThresholdAndToolStepsKeptInHistory() {
        callerSays("add a coke");
        int r = d.lastStart().replyId();
        d.send(new Signal.ToolStarted(r, "call_1", "add_item"));
        List<Effect> fill = d.advance(ms(1300));
        assertThat(fill).contains(new Effect.Say(r, "One moment while I check."));
        d.send(new Signal.ToolFinished(r, "call_1", "add_item", Signal.ToolOutcome.OK));
        chunk(r, 0, "One moment while I check.", 1000);
        chunk(r, 1, "Added a coke.", 900);
        ToolCall call = new ToolCall("call_1", "add_item", "{\"item\":\"coke\"}");
        d.send(new Signal.ReplyFinished(r, ReplyStatus.COMPLETED, List.of(
                new ChatMessage.Assistant("", List.of(call), false),
                new ChatMessage.ToolResult("call_1", "add_item", "{\"ok\":true}")), ""));
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("add a coke"),
                new ChatMessage.Assistant("", List.of(call), false),
                new ChatMessage.ToolResult("call_1", "add_item", "{\"ok\":true}"),
                ChatMessage.Assistant.text("One moment while I check. Added a coke."));
    }

    @Test
    void quickToolGetsNoFiller() {
        callerSays("add a coke");
        int r = d.lastStart().replyId();
        d.send(new Signal.ToolStarted(r, "call_1", "add_item"));
        d.advance(ms(300));
        d.send(new Signal.ToolFinished(r, "call_1", "add_item", Signal.ToolOutcome.OK));
        d.advance(ms(3000));
        assertThat(d.effects()).noneMatch(e -> e instanceof Effect.Say);
    }

    @Test
    void idlePromptThenPoliteHangUp() {
        d.send(new Signal.CallStarted());
        d.advance(ms(8100));
        Effect.StartReply prompt = d.lastStart();
        assertThat(prompt.fixedText()).isEqualTo("Are you still there?");
        chunk(prompt.replyId(), 0, prompt.fixedText(), 1000);
        finished(prompt.replyId());
        played(prompt.replyId(), 0);
        d.advance(ms(8100));
        Effect.StartReply bye = d.lastStart();
        assertThat(bye.fixedText()).startsWith("I haven't heard from you");
        assertThat(bye.interruptible()).isFalse();
        chunk(bye.replyId(), 0, bye.fixedText(), 3000);
        finished(bye.replyId());
        assertThat(d.effects()).noneMatch(e -> e instanceof Effect.HangUp); // not before it has been heard
        played(bye.replyId(), 0);
        assertThat(d.effects()).contains(new Effect.HangUp("no response"));
        assertThat(d.state().ended()).isTrue();
    }

    @Test
    void greetingAtCallStart() {
        d = new MachineDriver(new CallPolicy(TurnTaking.defaults(), Interruptions.defaults(),
                Prompts.defaults().withGreeting("Thanks for calling Tony's Pizza!")));
        List<Effect> e = d.send(new Signal.CallStarted());
        assertThat(e).anyMatch(x -> x instanceof Effect.StartReply s && s.fixedText().startsWith("Thanks for calling"));
    }

    @Test
    void dtmfIsDeliveredAsATurn() {
        d.send(new Signal.DtmfPressed("1"));
        d.send(new Signal.DtmfPressed("2"));
        assertThat(d.lastReplyId()).isEqualTo(-1);
        d.advance(ms(1600));
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("Caller pressed keys: 1 2"));
        assertThat(d.lastStart().fixedText()).isEmpty();
    }

    @Test
    void transferAfterTheReplyHasBeenHeard() {
        callerSays("let me talk to a person");
        int r = d.lastStart().replyId();
        d.send(new Signal.CallControlRequested(r, Signal.CallControl.TRANSFER, "caller asked"));
        chunk(r, 0, "Connecting you now.", 1000);
        finished(r);
        assertThat(d.effects()).noneMatch(e -> e instanceof Effect.Transfer);
        played(r, 0);
        assertThat(d.effects()).contains(new Effect.Transfer("caller asked"));
        assertThat(d.state().ended()).isTrue();
    }

    @Test
    void staleChunksOfACancelledReplyAreDropped() {
        callerSays("hi");
        int r = d.lastStart().replyId();
        chunk(r, 0, "Hello there.", 1000);
        d.advance(ms(500));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(100));
        chunk(r, 1, "How can I help?", 1000); // raced the cancel
        assertThat(d.state().agentAudible()).isFalse();
        assertThat(d.events()).doesNotContain(new CallEvent.AgentSpoke(r, "How can I help?"));
    }

    @Test
    void lateFinalOfATurnCommittedFromItsInterimIsNotANewTurn() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.send(new Signal.TranscriptInterim("two large pepperoni pizzas"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(1500)));
        d.advance(ms(2600)); // the recogniser is slow: the turn is committed from its last interim
        int r = d.lastStart().replyId();
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("two large pepperoni pizzas"));
        chunk(r, 0, "Two large pepperoni pizzas. Anything else?", 2500);
        d.advance(ms(500));
        d.send(new Signal.TranscriptFinal("two large pepperoni pizzas please", true)); // the late final
        assertThat(d.effects()).doesNotContain(new Effect.ClearPlayback());
        assertThat(d.lastStart().replyId()).isEqualTo(r);
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("two large pepperoni pizzas"));
    }

    @Test
    void aLaggingRecogniserIsWaitedFor() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(1500)));
        for (int i = 0; i < 8; i++) { // interims keep coming, late, for 4 s
            d.advance(ms(500));
            d.send(new Signal.TranscriptInterim("a cheeseburger and a large fries".substring(0, 10 + 2 * i)));
        }
        assertThat(d.state().history()).isEmpty();
        d.send(new Signal.TranscriptFinal("a cheeseburger and a large fries and a sprite", true));
        assertThat(d.state().history())
                .containsExactly(new ChatMessage.User("a cheeseburger and a large fries and a sprite"));
    }

    @Test
    void aPauseInsideTheSentenceDoesNotEndTheTurn() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.advance(ms(800));
        d.send(new Signal.TranscriptInterim("i would like"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(800), ms(300))); // the VAD saw 300 ms of silence
        d.advance(ms(100));
        d.send(new Signal.TranscriptFinal("i would like", true)); // forced by our Finalize: not the end of the turn
        d.advance(ms(50));
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO, ms(100))); // a 350 ms pause, then more words
        assertThat(d.state().history()).isEmpty();
        d.advance(ms(900));
        d.send(new Signal.TranscriptInterim("two large pizzas"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(900), ms(300)));
        d.advance(ms(100));
        d.send(new Signal.TranscriptFinal("two large pizzas", true));
        d.advance(ms(150));
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("i would like two large pizzas"));
    }

    @Test
    void bargeInMinimumSpeechCountsFromTheOnset() {
        callerSays("hi");
        int r = d.lastStart().replyId();
        chunk(r, 0, "Hello there, what can I get you today?", 3000);
        d.advance(ms(1000));
        // the VAD confirms speech 96 ms after its onset: the 80 ms minimum has passed already
        List<Effect> e = d.send(new Signal.CallerSpeechStarted(Duration.ZERO, ms(96)));
        assertThat(e.getFirst()).isEqualTo(new Effect.ClearPlayback());
    }

    @Test
    void aLateRecogniserGetsAHoldingFillerThenTheAnswer() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.send(new Signal.TranscriptInterim("i would like"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(900), ms(300)));
        d.advance(ms(1300)); // 1.3 s of silence, no final: the recogniser is failing over
        Effect.StartReply filler = d.lastStart();
        assertThat(filler.fixedText()).isEqualTo("One moment while I check.");
        assertThat(d.state().callerHoldsFloor()).isFalse(); // the filler may play while the caller is silent
        chunk(filler.replyId(), 0, filler.fixedText(), 1200);
        d.advance(ms(400));
        d.send(new Signal.TranscriptFinal("i would like two large pizzas", true)); // the fallback's final
        assertThat(d.state().history()).containsExactly(new ChatMessage.User("i would like two large pizzas"));
        assertThat(d.lastStart().replyId()).isEqualTo(filler.replyId()); // the answer waits for the filler
        finished(filler.replyId());
        Effect.StartReply answer = d.lastStart();
        assertThat(answer.replyId()).isGreaterThan(filler.replyId());
        assertThat(answer.fixedText()).isEmpty();
    }

    @Test
    void aHoldingFillerStopsWhenTheCallerSpeaksAgain() {
        d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        d.send(new Signal.TranscriptInterim("i would like"));
        d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(900), ms(300)));
        d.advance(ms(1300));
        Effect.StartReply filler = d.lastStart();
        chunk(filler.replyId(), 0, filler.fixedText(), 1200);
        d.advance(ms(200));
        List<Effect> e = d.send(new Signal.CallerSpeechStarted(Duration.ZERO, ms(96)));
        assertThat(e.getFirst()).isEqualTo(new Effect.ClearPlayback());
        assertThat(e).contains(new Effect.CancelReply(filler.replyId(), "the caller speaks"));
        assertThat(d.state().callerHoldsFloor()).isTrue();
    }

    @Test
    void callerHangUpEndsTheCall() {
        callerSays("hi");
        int r = d.lastStart().replyId();
        d.send(new Signal.CallerHungUp("caller hung up"));
        assertThat(d.effects()).contains(new Effect.CancelReply(r, "call ended"));
        assertThat(d.state().ended()).isTrue();
        assertThat(d.pendingTimers()).isEmpty();
    }
}
