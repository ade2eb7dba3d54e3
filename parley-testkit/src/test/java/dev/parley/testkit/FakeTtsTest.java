package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FakeTtsTest {
    private static final Duration WAIT = Duration.ofSeconds(3);

    private static TtsRequest request(int rate) {
        return new TtsRequest("c", rate, "en-US", "");
    }

    private static List<AudioFrame> synthesise(FakeTts tts, int rate, String text) {
        var stream = tts.open(request(rate));
        stream.send(text);
        stream.finish();
        try (var events = StreamRecorder.start(stream)) {
            events.awaitEnd(WAIT);
            return events.items(TtsEvent.Audio.class).stream().map(TtsEvent.Audio::frame).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 24000, 48000})
    void audioLengthIsProportionalAndDecodesBackToTheText(int rate) {
        String text = "Hello there, a LARGE pizza for $12.50? Yes! ~{ok}";
        var frames = synthesise(FakeTts.create(), rate, text);
        assertThat(TestAudio.duration(frames)).isEqualTo(Duration.ofMillis(60L * text.length()));
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.sampleRate()).isEqualTo(rate);
            assertThat(f.duration()).isEqualTo(Duration.ofMillis(20));
        });
        assertThat(FakeTts.textFor(frames)).isEqualTo(text);
    }

    @Test
    void truncatedAudioDecodesToWhatWasHeard() {
        var frames = synthesise(FakeTts.create(), 8000, "abcdef");
        // 6 characters x 3 frames; keep 7 frames plus half a frame: "ab" whole, "c" only 1.5/3 frames
        var cut = new java.util.ArrayList<>(frames.subList(0, 7));
        short[] half = java.util.Arrays.copyOf(frames.get(7).samples(), 80);
        cut.add(new AudioFrame(half, 8000));
        assertThat(FakeTts.textFor(cut)).isEqualTo("abc");
        assertThat(FakeTts.textFor(frames.subList(0, 7))).isEqualTo("ab");
    }

    @Test
    void otherCharacterDurationsRoundTrip() {
        var tts = FakeTts.builder().charDuration(Duration.ofMillis(80)).build();
        var frames = synthesise(tts, 16000, "order 66");
        assertThat(TestAudio.duration(frames)).isEqualTo(Duration.ofMillis(640));
        assertThat(tts.spokenText(frames)).isEqualTo("order 66");
        assertThatThrownBy(() -> FakeTts.builder().charDuration(Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeToFirstByteAndRealTimeFactorPaceTheAudio() {
        var tts = FakeTts.builder().timeToFirstByte(Duration.ofMillis(100)).realTimeFactor(5).build();
        var stream = tts.open(request(8000));
        try (var events = StreamRecorder.start(stream)) {
            long t0 = System.nanoTime();
            stream.send("abcdefghij");
            stream.flush();
            events.awaitItem(TtsEvent.Audio.class, WAIT);
            long first = System.nanoTime() - t0;
            events.awaitItem(TtsEvent.Flushed.class, WAIT);
            long flushed = System.nanoTime() - t0;
            // 600 ms of audio, 30 frames, produced at 5x: 29 frame intervals of 4 ms after the first
            assertThat(Duration.ofNanos(first)).isGreaterThanOrEqualTo(Duration.ofMillis(95));
            assertThat(Duration.ofNanos(flushed)).isGreaterThanOrEqualTo(Duration.ofMillis(100 + 110));
            assertThat(events.items(TtsEvent.Audio.class)).hasSize(30);
        }
    }

    @Test
    void flushedFollowsEachFlushAndWordTimingsContinueAcrossPieces() {
        var tts = FakeTts.builder().wordTimings(true).build();
        var stream = tts.open(request(16000));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("Hi ");
            stream.send("there.");
            stream.flush();
            stream.flush();
            stream.send(" Bye");
            stream.flush();
            stream.finish();
            var all = events.awaitEnd(WAIT);
            assertThat(all).filteredOn(TtsEvent.Flushed.class::isInstance).hasSize(3);
            var words = events.items(TtsEvent.Words.class);
            assertThat(words).hasSize(2);
            assertThat(words.get(0).words()).containsExactly(
                    new WordTiming("Hi", Duration.ZERO, Duration.ofMillis(120)),
                    new WordTiming("there.", Duration.ofMillis(180), Duration.ofMillis(540)));
            assertThat(words.get(1).words()).containsExactly(
                    new WordTiming("Bye", Duration.ofMillis(600), Duration.ofMillis(780)));
            assertThat(all.getFirst()).isInstanceOf(TtsEvent.Words.class);
            assertThat(stream.textsReceived()).containsExactly("Hi ", "there.", " Bye");
            assertThat(stream.synthesisedPieces()).containsExactly("Hi there.", " Bye");
            assertThat(stream.flushes()).isEqualTo(3);
            assertThat(tts.textsReceived()).containsExactly("Hi ", "there.", " Bye");
        }
    }

    @Test
    void failAfterDeliversThatManyEventsThenThrows() {
        var error = Fault.providerError("tts down");
        var tts = FakeTts.builder().faults(Fault.failAfter(3, error)).build();
        var stream = tts.open(request(8000));
        stream.send("hello");
        stream.flush();
        try (var events = StreamRecorder.start(stream)) {
            assertThat(events.awaitFailure(WAIT)).isSameAs(error);
            assertThat(events.items()).hasSize(3);
        }
    }

    @Test
    void textAfterFinishOrCloseIsIgnored() {
        var tts = FakeTts.create();
        var stream = tts.open(request(8000));
        stream.send("a");
        stream.finish();
        stream.send("b");
        stream.flush();
        try (var events = StreamRecorder.start(stream)) {
            assertThat(events.awaitEnd(WAIT)).hasSize(3).allMatch(TtsEvent.Audio.class::isInstance);
        }
        assertThat(stream.textsReceived()).containsExactly("a");
    }
}
