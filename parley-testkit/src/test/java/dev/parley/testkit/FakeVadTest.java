package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.VadEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeVadTest {
    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static List<VadEvent> run(List<AudioFrame> frames, int rate) {
        var events = new ArrayList<VadEvent>();
        try (var session = FakeVad.create().open(rate)) {
            frames.forEach(f -> events.addAll(session.accept(f)));
        }
        return events;
    }

    private static List<AudioFrame> scene(int rate) {
        var frames = new ArrayList<>(TestAudio.silence(ms(200), rate));
        frames.addAll(TestAudio.utterance(ms(500), ms(600), rate));
        return frames;
    }

    @Test
    void reportsSpeechWithHysteresisAtStreamOffsets() {
        assertThat(run(scene(16000), 16000)).containsExactly(new VadEvent.SpeechStarted(ms(200)),
                new VadEvent.SpeechEnded(ms(700), ms(500)));
    }

    @Test
    void aBlipShorterThanMinimumSpeechIsIgnored() {
        var frames = new ArrayList<>(TestAudio.voiced(ms(60), 8000));
        frames.addAll(TestAudio.silence(ms(500), 8000));
        assertThat(run(frames, 8000)).isEmpty();
    }

    @Test
    void aShortPauseDoesNotEndSpeech() {
        var frames = new ArrayList<>(TestAudio.utterance(ms(300), ms(200), 8000));
        frames.addAll(TestAudio.utterance(ms(300), ms(400), 8000));
        assertThat(run(frames, 8000)).containsExactly(new VadEvent.SpeechStarted(Duration.ZERO),
                new VadEvent.SpeechEnded(ms(800), ms(800)));
    }

    @Test
    void frameSizeDoesNotChangeTheEvents() {
        short[] all = TestAudio.join(scene(8000), 8000).samples();
        var odd = new ArrayList<AudioFrame>();
        for (int i = 0; i < all.length; i += 37) {
            odd.add(new AudioFrame(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 37)), 8000));
        }
        assertThat(run(odd, 8000)).isEqualTo(run(scene(8000), 8000));
    }

    @Test
    void probabilityFollowsTheLastWindow() {
        var vad = FakeVad.create();
        try (var session = vad.open(8000)) {
            session.accept(TestAudio.voiced(ms(20), 8000).getFirst());
            assertThat(session.probability()).isEqualTo(1f);
            session.accept(TestAudio.silence(ms(20), 8000).getFirst());
            assertThat(session.probability()).isZero();
        }
        assertThat(vad.sessionsOpened()).isEqualTo(1);
    }
}
