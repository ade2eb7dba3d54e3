package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.CallEvent;
import dev.parley.audio.AudioFormat.Encoding;
import dev.parley.audio.G711;
import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/** Runs every benchmark body briefly (no JMH harness) and checks that its inputs are what the benchmark claims. */
class BenchSmokeTest {
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void recordedCallIsRealisticAndReplaysIdentically() {
        RecordedCall call = RecordedCall.record();
        assertThat(call.signals()).hasSizeBetween(150, 300).hasSameSizeAs(call.times());
        Journal.ReplayResult replay = Journal.replay(call.journal());
        assertThat(replay.identical()).as(replay.difference()).isTrue();
        assertThat(replay.decisions()).isEqualTo(call.signals().size());

        Set<Class<?>> kinds = call.signals().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(kinds).contains(Signal.CallStarted.class, Signal.CallerSpeechStarted.class,
                Signal.CallerSpeechEnded.class, Signal.TranscriptInterim.class, Signal.TranscriptFinal.class,
                Signal.ReplyChunk.class, Signal.MarkPlayed.class, Signal.TimerFired.class, Signal.ReplyFinished.class,
                Signal.ToolStarted.class, Signal.DtmfPressed.class);

        CallMachine machine = new CallMachine(call.policy());
        CallState state = machine.initial();
        List<Effect> effects = new ArrayList<>();
        for (int i = 0; i < call.signals().size(); i++) {
            Signal signal = call.signals().get(i);
            // the script is coherent: replies write and finish only while they are the live one
            if (signal instanceof Signal.ReplyChunk c) {
                assertThat(c.replyId()).as("chunk %d", i).isEqualTo(state.liveReplyId());
            } else if (signal instanceof Signal.ReplyFinished f) {
                assertThat(f.replyId()).as("finish %d", i).isEqualTo(state.liveReplyId());
            }
            CallMachine.Decision d = machine.on(state, signal, call.times().get(i));
            state = d.state();
            effects.addAll(d.effects());
        }
        List<CallEvent> events = effects.stream().filter(e -> e instanceof Effect.Emit)
                .map(e -> ((Effect.Emit) e).event()).toList();
        assertThat(events).anyMatch(e -> e instanceof CallEvent.SpeculationKept)
                .anyMatch(e -> e instanceof CallEvent.SpeculationDiscarded)
                .anyMatch(e -> e instanceof CallEvent.AgentInterrupted)
                .anyMatch(e -> e instanceof CallEvent.InterruptionResumed)
                .anyMatch(e -> e instanceof CallEvent.DtmfReceived)
                .anyMatch(e -> e instanceof CallEvent.ToolCalled);
        assertThat(effects).anyMatch(e -> e instanceof Effect.Say).contains(new Effect.HangUp("order complete"));
        assertThat(state.ended()).isTrue();
    }

    @Test
    void machineBenchmarksReplayTheRecordedCallAndWrap() {
        CallMachineBench bench = new CallMachineBench();
        bench.setUp();
        RecordedCall call = RecordedCall.record();
        int n = call.signals().size();
        for (int i = 0; i < n; i++) {
            bench.machine();
        }
        long body = call.journal().stream().skip(1).mapToLong(String::length).sum();
        for (int i = 0; i < 2 * n; i++) {
            bench.machineAndJournal();
        }
        // the replay writes exactly the recorded journal, twice: same decisions, and the loop restarts cleanly
        assertThat(bench.journalChars).isEqualTo(2 * body);
    }

    @Test
    void chunkerBenchmarkStreamsARealisticReply() {
        List<String> deltas = SentenceChunkerBench.deltas();
        assertThat(String.join("", deltas)).isEqualTo(SentenceChunkerBench.REPLY);
        assertThat(deltas.subList(0, deltas.size() - 1)).allSatisfy(d -> assertThat(d.length()).isBetween(3, 5));

        var chunker = new dev.parley.internal.SentenceChunker();
        List<String> chunks = new ArrayList<>();
        deltas.forEach(d -> chunks.addAll(chunker.push(d)));
        chunks.addAll(chunker.flush());
        assertThat(chunks).containsExactly("Sure thing!",
                "Your order is two large pepperoni pizzas, one garlic bread and a 2-liter Coke, which comes to $38.47"
                        + " before tax.",
                "Dr. Rossi's special, e.g. the truffle pie, is also available until 9 p.m. tonight.",
                "Delivery to 221 Baker St. takes about 35 minutes, so expect it around 7:45.",
                "Would you like to add a dessert, or is that everything?");

        SentenceChunkerBench bench = new SentenceChunkerBench();
        bench.setUp();
        for (int i = 0; i < 3 * deltas.size(); i++) {
            bench.perToken(BLACKHOLE);
        }
        bench.perReply(BLACKHOLE);
    }

    @Test
    void g711BenchmarksRoundTripVoiceLikeAudio() {
        short[][] frames = VoiceAudio.frames(8000, 50);
        int peak = 0;
        int quietFrames = 0;
        for (short[] f : frames) {
            int framePeak = 0;
            for (short s : f) {
                framePeak = Math.max(framePeak, Math.abs(s));
            }
            peak = Math.max(peak, framePeak);
            quietFrames += framePeak < 2000 ? 1 : 0;
        }
        assertThat(peak).isBetween(12_000, 32_767);
        assertThat(quietFrames).as("quiet passages between syllables").isPositive();

        G711Bench bench = new G711Bench();
        bench.setUp();
        byte[] encoded = bench.muLawEncode().clone(); // frame 0
        assertThat(encoded).isEqualTo(G711.encode(frames[0], Encoding.MULAW));
        for (int i = 0; i < 100; i++) {
            bench.muLawDecode();
            bench.aLawEncode();
            bench.aLawDecode();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"8000-16000", "16000-8000", "24000-8000", "48000-16000"})
    void resamplerBenchmarkStreamsFrames(String rates) {
        ResamplerBench bench = new ResamplerBench();
        bench.rates = rates;
        bench.setUp();
        int out = Integer.parseInt(rates.split("-")[1]);
        int total = 0;
        for (int i = 0; i < 50; i++) {
            total += bench.frame().length;
        }
        // one second in, one second out, less at most the filter's delay (well under 20 ms)
        assertThat(total).isBetween(out - out / 50, out);
    }
}
