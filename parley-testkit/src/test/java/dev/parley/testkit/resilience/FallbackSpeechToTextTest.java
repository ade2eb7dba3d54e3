package dev.parley.testkit.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.resilience.Deadlines;
import dev.parley.resilience.FallbackSpeechToText;
import dev.parley.resilience.RetryPolicy;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.testkit.FakeStt;
import dev.parley.testkit.Fault;
import dev.parley.testkit.TestAudio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FallbackSpeechToTextTest {
    private static final int RATE = 16000;
    private static final String ORDER = "i would like a large pizza";

    static SttRequest request(String callId) {
        return new SttRequest(callId, AudioFormat.pcm16(RATE), "en-US", List.of());
    }

    /** 4 s of silence, 1.2 s of speech, 0.6 s of silence (the fakes' endpointing ends the segment). */
    static List<AudioFrame> callerAudio() {
        var frames = new ArrayList<>(TestAudio.silence(Duration.ofSeconds(4), RATE));
        frames.addAll(TestAudio.utterance(Duration.ofMillis(1200), Duration.ofMillis(600), RATE));
        return frames;
    }

    static SttEvent.Final awaitFinal(SttStream stream) {
        for (Optional<SttEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
            if (e.get() instanceof SttEvent.Final f) {
                return f;
            }
        }
        throw new AssertionError("stream ended without a final");
    }

    @Test
    void failoverReplaysTheBufferedAudioSoTheUtteranceIsNotLost() throws Exception {
        // a recognises two interims of the utterance, then its connection drops
        var a = FakeStt.builder().name("a").utterances(ORDER).faults(Fault.failAfter(2, Fault.providerError("ws 1011")))
                .build();
        var b = FakeStt.builder().name("b").utterances(ORDER).build();
        var stt = FallbackSpeechToText.builder().add(a).add(b).retry(RetryPolicy.none()).build();
        try (var reports = new Reports(); SttStream stream = stt.open(request(reports.callId))) {
            callerAudio().forEach(stream::send);
            SttEvent.Final fin = awaitFinal(stream);

            assertThat(fin.text()).isEqualTo(ORDER);
            assertThat(b.framesReceived()).as("the last 3 s were replayed to b")
                    .isEqualTo(Duration.ofSeconds(3).toMillis() / 20);
            assertThat(fin.words().getFirst().start()).as("times are offsets into all audio of the call's stream")
                    .isBetween(Duration.ofMillis(3980), Duration.ofMillis(4020));
            assertThat(reports.kinds()).containsExactly("error", "failover");
            stream.finish();
            assertThat(stream.next()).isEmpty();
        }
    }

    @Test
    void withoutReplayTheUtteranceInProgressWouldBeLost() throws Exception {
        var a = FakeStt.builder().name("a").utterances(ORDER).faults(Fault.failAfter(2, Fault.providerError("ws 1011")))
                .build();
        var b = FakeStt.builder().name("b").utterances(ORDER).build();
        var stt = FallbackSpeechToText.builder().add(a).add(b).retry(RetryPolicy.none()).replay(Duration.ZERO).build();
        try (var reports = new Reports(); SttStream stream = stt.open(request(reports.callId))) {
            callerAudio().forEach(stream::send);
            stream.finish();
            var events = new ArrayList<SttEvent>();
            for (Optional<SttEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                events.add(e.get());
            }
            assertThat(events).noneMatch(e -> e instanceof SttEvent.Final);
            assertThat(b.segmentsDetected()).isZero();
        }
    }

    @Test
    void aRecogniserThatStallsAfterFinalizeTurnIsReplacedWithinTheDeadline() throws Exception {
        var a = FakeStt.builder().name("a").utterances(ORDER).noEndpointing().faults(Fault.stallAfter(1)).build();
        var b = FakeStt.builder().name("b").utterances(ORDER).noEndpointing().build();
        var deadlines = Deadlines.builder().firstOutput(Duration.ofMillis(300)).maxGap(Duration.ofMillis(300)).build();
        var stt = FallbackSpeechToText.builder().add(a).add(b).retry(RetryPolicy.none()).deadlines(deadlines).build();
        try (var reports = new Reports(); SttStream stream = stt.open(request(reports.callId))) {
            var events = new LinkedBlockingQueue<SttEvent>();
            Thread reader = Thread.ofVirtual().start(() -> {
                for (Optional<SttEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                    events.add(e.get());
                }
            });
            TestAudio.utterance(Duration.ofMillis(1200), Duration.ofMillis(200), RATE).forEach(stream::send);
            assertThat(events.poll(5, TimeUnit.SECONDS)).isInstanceOf(SttEvent.Interim.class);
            long finalizedAt = System.nanoTime();
            stream.finalizeTurn();

            SttEvent e;
            do {
                e = events.poll(5, TimeUnit.SECONDS);
                assertThat(e).as("a final arrives").isNotNull();
            } while (!(e instanceof SttEvent.Final));
            long finalMs = (System.nanoTime() - finalizedAt) / 1_000_000;
            long detectionMs = (reports.firstNanos("failover") - finalizedAt) / 1_000_000;
            System.out.printf("STT stall: deadline 300 ms, finalizeTurn -> failover %d ms, -> final %d ms "
                    + "(b's final latency 150 ms)%n", detectionMs, finalMs);
            assertThat(((SttEvent.Final) e).text()).isEqualTo(ORDER);
            assertThat(detectionMs).isBetween(290L, 1500L);
            assertThat(b.finalizeCalls()).as("the pending finalize is repeated on b").isEqualTo(1);
            reports.await("stall");
            assertThat(reports.of("stall").getFirst().detail()).isEqualTo("a stalled: no first output within 300 ms");
            assertThat(reports.kinds()).doesNotContain("error").contains("failover");
            stream.close();
            reader.join(Duration.ofSeconds(5));
            assertThat(reader.isAlive()).isFalse();
        }
    }
}
