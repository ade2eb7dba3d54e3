package dev.parley.testkit;

import static dev.parley.testkit.SimulationProbe.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.machine.Effect;
import dev.parley.machine.Signal;
import dev.parley.machine.Signal.ReplyStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Minimal signal sequences, found by the {@link Simulation}, on which the call machine breaks an invariant. Each test
 * asserts the invariant (regression tests of the machine bugs the simulation found, all fixed).
 */
class SimulationMachineBugsTest {
    private SimulationProbe p = new SimulationProbe();

    /** The caller says {@code text}; a speculative reply is started from the stable interims. */
    private void speculate(String text) {
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        p.send(new Signal.TranscriptInterim(text));
        p.send(new Signal.TranscriptInterim(text));
        p.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(500)));
        assertThat(p.d.lastStart().gated()).isTrue();
    }

    @Test
    void pendingReplyNeverStartsOverTheCaller() {
        speculate("a large");
        p.send(new Signal.TranscriptFinal("a large coke", true)); // speculation discarded, the real reply is pending
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO)); // the caller goes on: takes the floor
        p.finished(1, ReplyStatus.INTERRUPTED); // -> StartReply(2, gated=false) while the caller holds the floor
        assertThat(p.firstViolation()).isEmpty();
    }

    @Test
    void pendingReplyNeverStartsAfterTheCallEnded() {
        speculate("a large");
        p.send(new Signal.TranscriptFinal("a large coke", true));
        p.send(new Signal.CallerHungUp("caller hung up"));
        p.finished(1, ReplyStatus.INTERRUPTED); // -> StartReply(2) after CallEnded
        assertThat(p.firstViolation()).isEmpty();
    }

    @Test
    void bargeInAfterTheAgentFinishedKeepsWhatWasHeard() {
        p.callerSays("hi");
        p.chunk(1, 0, "Hello there, how can I help?", 1000);
        p.finished(1, ReplyStatus.COMPLETED);
        p.advance(ms(950));
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO)); // over the last 50 ms of audio: a candidate
        p.advance(ms(30));
        p.send(new Signal.MarkPlayed("r1.0")); // AgentFinishedSpeaking(1), the candidate stays
        p.advance(ms(100)); // barge-in timer: ClearPlayback, AgentInterrupted(-1, ""), history[1] = Assistant("")
        assertThat(p.firstViolation()).isEmpty();
    }

    @Test
    void cutOfAResumedMessageKeepsItsStart() {
        p.callerSays("what sizes do you have");
        p.chunk(1, 0, "We have small, medium and large pizzas in every flavour.", 4000);
        p.advance(ms(1000));
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO)); // a cough
        p.advance(ms(100));
        p.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(150)));
        p.finished(1, ReplyStatus.INTERRUPTED); // history: "We have small," (interrupted)
        p.advance(ms(1600)); // no words: the cut reply resumes as reply 2
        Effect.StartReply resume = p.d.lastStart();
        p.chunk(resume.replyId(), 0, resume.fixedText(), 2500);
        p.finished(resume.replyId(), ReplyStatus.COMPLETED); // history: "We have small, medium and large pizzas ..."
        p.advance(ms(1000));
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        p.advance(ms(100)); // cut while the resumed audio plays: history becomes "medium and", not "We have small, medium and"
        assertThat(p.firstViolation()).isEmpty();
    }

    @Test
    void bargeInCutsTheReplyWhoseAudioIsPlaying() {
        p = new SimulationProbe(true); // the key barge-in below also has the Emit-before-clear bug: not this one
        p.callerSays("what sizes do you have");
        p.chunk(1, 0, "We have small, medium and large pizzas in every flavour.", 4000);
        p.advance(ms(1000));
        p.send(new Signal.DtmfPressed("5")); // interrupts reply 1
        p.finished(1, ReplyStatus.INTERRUPTED);
        p.advance(ms(500));
        p.send(new Signal.DtmfPressed("2"));
        p.advance(ms(1100)); // false-interruption timeout: reply 2 resumes the cut reply
        Effect.StartReply resume = p.d.lastStart();
        p.chunk(resume.replyId(), 0, resume.fixedText(), 2500);
        p.advance(ms(500)); // DTMF timeout: the keys are a turn; its reply is pending behind reply 2
        p.finished(resume.replyId(), ReplyStatus.COMPLETED); // reply 3 starts while reply 2's audio still plays
        p.advance(ms(500));
        p.send(new Signal.CallerSpeechStarted(Duration.ZERO));
        p.advance(ms(100)); // cancels reply 3 (heard ""), clears reply 2's audio, but history keeps all of reply 2
        assertThat(p.firstViolation()).isEmpty();
    }

    @Test
    void clearPlaybackIsTheFirstEffectOfABargeIn() {
        p.callerSays("hi");
        p.chunk(1, 0, "Hello and welcome to Tony's Pizza, what can I get you?", 3000);
        p.advance(ms(1000));
        p.send(new Signal.DtmfPressed("1")); // [Emit(DtmfReceived), ClearPlayback, CancelReply, ...]
        assertThat(p.firstViolation()).isEmpty();
    }
}
