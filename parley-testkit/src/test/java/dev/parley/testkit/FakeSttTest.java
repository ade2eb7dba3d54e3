package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeSttTest {
    private static final int RATE = 8000;
    private static final Duration WAIT = Duration.ofSeconds(3);
    private static final SttRequest REQUEST = new SttRequest("c", AudioFormat.PCM_8K, "en-US", List.of());

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static void send(FakeSttStream s, List<AudioFrame> frames) {
        frames.forEach(s::send);
    }

    @Test
    void interimsGrowOneWordPerIntervalThenFinalFollowsEndpointingAfterTheLatency() {
        var stt = FakeStt.builder().utterances("one two three four").finalLatency(ms(150)).build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            long t0 = System.nanoTime();
            send(stream, TestAudio.utterance(ms(700), ms(400), RATE));
            var fin = events.awaitItem(SttEvent.Final.class, WAIT);
            long elapsed = System.nanoTime() - t0;
            assertThat(events.items(SttEvent.Interim.class)).extracting(SttEvent.Interim::text)
                    .containsExactly("one", "one two", "one two three", "one two three four");
            assertThat(fin.text()).isEqualTo("one two three four");
            assertThat(fin.endOfSpeech()).isTrue();
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(ms(140));
            assertThat(fin.words()).hasSize(4);
            assertThat(fin.words().getFirst().start()).isEqualTo(Duration.ZERO);
            assertThat(fin.words().getLast().end()).isEqualTo(ms(700));
            assertThat(stream.framesReceived()).isEqualTo(55);
            assertThat(stream.audioReceived()).isEqualTo(ms(1100));
        }
    }

    @Test
    void finalizeTurnEndsTheSegmentWithoutEndpointing() {
        var stt = FakeStt.builder().utterances("a large pizza").noEndpointing().finalLatency(Duration.ZERO).build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            send(stream, TestAudio.utterance(ms(500), ms(2000), RATE));
            assertThat(stream.inSpeech()).isTrue();
            stream.finalizeTurn();
            assertThat(events.awaitItem(SttEvent.Final.class, WAIT).text()).isEqualTo("a large pizza");
            assertThat(stt.finalizeCalls()).isEqualTo(1);
            assertThat(stream.inSpeech()).isFalse();
        }
    }

    @Test
    void segmentsTakeUtterancesInOrderAndExtraSegmentsAreNoise() {
        var stt = FakeStt.builder().utterances("yes", "no").finalLatency(Duration.ZERO).build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            for (int i = 0; i < 3; i++) {
                send(stream, TestAudio.utterance(ms(300), ms(400), RATE));
            }
            stream.finish();
            var all = events.awaitEnd(WAIT);
            assertThat(all).filteredOn(SttEvent.Final.class::isInstance).extracting(e -> ((SttEvent.Final) e).text())
                    .containsExactly("yes", "no");
            assertThat(stt.segmentsDetected()).isEqualTo(3);
            assertThat(stt.unscriptedSegments()).isEqualTo(1);
        }
    }

    @Test
    void speechRunningOnAfterFinalizeTurnDoesNotStartTheNextUtterance() {
        var stt = FakeStt.builder().utterances("first", "second").finalLatency(Duration.ZERO).build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            send(stream, TestAudio.voiced(ms(300), RATE));
            stream.finalizeTurn();
            send(stream, TestAudio.utterance(ms(200), ms(400), RATE));
            send(stream, TestAudio.utterance(ms(300), ms(400), RATE));
            stream.finish();
            assertThat(events.awaitEnd(WAIT)).filteredOn(SttEvent.Final.class::isInstance)
                    .extracting(e -> ((SttEvent.Final) e).text()).containsExactly("first", "second");
        }
    }

    @Test
    void speechStartAndUtteranceEndCarryStreamOffsets() {
        var stt = FakeStt.builder().utterances("hi").speechStartedEvents(true).utteranceEndEvents(true)
                .endpointing(ms(300)).build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            send(stream, TestAudio.silence(ms(200), RATE));
            send(stream, TestAudio.utterance(ms(400), ms(300), RATE));
            assertThat(events.awaitItem(SttEvent.SpeechStarted.class, WAIT).at()).isEqualTo(ms(200));
            assertThat(events.awaitItem(SttEvent.UtteranceEnd.class, WAIT).lastWordEnd()).isEqualTo(ms(600));
        }
    }

    @Test
    void scriptedInterimsFollowTheirOffsets() {
        var u = Utterance.finalOnly("i would like pizza").withInterim(ms(200), "i would")
                .withInterim(ms(600), "i would like pizza");
        var stt = FakeStt.builder().utterance(u).noEndpointing().build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            send(stream, TestAudio.voiced(ms(400), RATE));
            assertThat(events.awaitItem(SttEvent.Interim.class, WAIT).text()).isEqualTo("i would");
            send(stream, TestAudio.voiced(ms(300), RATE));
            assertThat(events.awaitItems(SttEvent.Interim.class, 2, WAIT).get(1).text()).isEqualTo("i would like pizza");
        }
    }

    @Test
    void failOnOpenAppliesToTheFirstOpenOnly() {
        var error = Fault.providerError("connect refused");
        var stt = FakeStt.builder().utterances("hi").faults(Fault.failOnOpen(error)).build();
        assertThatThrownBy(() -> stt.open(REQUEST)).isSameAs(error);
        assertThat(stt.open(REQUEST)).isNotNull();
        assertThat(stt.requests()).hasSize(2);
        assertThat(stt.streams()).hasSize(1);
    }

    @Test
    void failAfterDeliversThatManyEventsThenThrows() {
        var error = Fault.providerError("socket reset");
        var stt = FakeStt.builder().utterances("one two three").faults(Fault.failAfter(1, error)).build();
        var stream = stt.open(REQUEST);
        try (var events = StreamRecorder.start(stream)) {
            send(stream, TestAudio.utterance(ms(600), ms(400), RATE));
            assertThat(events.awaitFailure(WAIT)).isSameAs(error);
            assertThat(events.items()).hasSize(1).first().isInstanceOf(SttEvent.Interim.class);
            assertThat(((ParleyException) events.failure().orElseThrow()).retryable()).isTrue();
        }
    }

    @Test
    void stalledStreamBlocksUntilClosed() {
        var stt = FakeStt.builder().utterances("hello").faults(Fault.stallAfter(0)).build();
        var stream = stt.open(REQUEST);
        var events = StreamRecorder.start(stream);
        send(stream, TestAudio.utterance(ms(300), ms(400), RATE));
        stream.finish();
        events.awaitReaderBlocked(WAIT);
        assertThat(events.ended()).isFalse();
        stream.close();
        assertThat(events.awaitEnd(Duration.ofSeconds(1))).isEmpty();
        assertThat(stream.closed()).isTrue();
    }

    @Test
    void addedUtterancesAndLaterStreamsContinueTheScript() {
        var stt = FakeStt.builder().finalLatency(Duration.ZERO).build();
        stt.addUtterance("from the first stream");
        stt.addUtterance("from the second stream");
        var first = stt.open(REQUEST);
        send(first, TestAudio.voiced(ms(300), RATE));
        first.finish();
        var second = stt.open(REQUEST);
        send(second, TestAudio.voiced(ms(300), RATE));
        second.finish();
        try (var a = StreamRecorder.start(first); var b = StreamRecorder.start(second)) {
            assertThat(a.awaitEnd(WAIT)).last().isEqualTo(new SttEvent.Final("from the first stream", 0.95,
                    ((SttEvent.Final) a.items().getLast()).words(), true));
            assertThat(b.awaitEnd(WAIT)).filteredOn(SttEvent.Final.class::isInstance).singleElement()
                    .extracting(e -> ((SttEvent.Final) e).text()).isEqualTo("from the second stream");
            assertThat(stt.remainingScript()).isEmpty();
        }
    }

    @Test
    void quietFramesAreNotSpeech() {
        var stt = FakeStt.scripted(List.of("never"));
        var stream = stt.open(REQUEST);
        send(stream, TestAudio.tone(ms(500), RATE, 440, -50));
        stream.finish();
        try (var events = StreamRecorder.start(stream)) {
            assertThat(events.awaitEnd(WAIT)).isEmpty();
            assertThat(stt.segmentsDetected()).isZero();
        }
    }
}
