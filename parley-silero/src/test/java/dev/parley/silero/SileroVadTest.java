package dev.parley.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bundled Silero v5 model on real speech (espeak-ng fixture), silence and noise. */
class SileroVadTest {
    private static SileroVad vad;

    @BeforeAll
    static void loadModel() {
        vad = SileroVad.create();
    }

    @AfterAll
    static void closeModel() {
        vad.close();
    }

    static List<VadEvent> detect(SileroVad detector, AudioFrame audio, int frameLength) {
        List<VadEvent> events = new ArrayList<>();
        try (VadSession session = detector.open(audio.sampleRate())) {
            for (AudioFrame frame : TestAudio.frames(audio, frameLength)) {
                events.addAll(session.accept(frame));
            }
        }
        return events;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 8000})
    void speechWithOneSecondPaddingGivesOneStartAndOneEnd(int rate) {
        AudioFrame audio = TestAudio.pizza(rate);
        double[] bounds = TestAudio.speechBounds(audio);
        assertThat(bounds[0]).as("fixture onset").isCloseTo(1.0, within(0.02));

        List<VadEvent> events = detect(vad, audio, rate / 50);

        assertThat(events).hasSize(2);
        var started = (VadEvent.SpeechStarted) events.get(0);
        var ended = (VadEvent.SpeechEnded) events.get(1);
        assertThat(seconds(started.at())).isCloseTo(1.0, within(0.15));
        assertThat(seconds(ended.at())).isCloseTo(bounds[1], within(0.2));
        assertThat(ended.speech()).isEqualTo(ended.at().minus(started.at()));
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 8000})
    void silenceGivesNoEvents(int rate) {
        AudioFrame silence = AudioFrame.silence(Duration.ofSeconds(3), rate);
        try (VadSession session = vad.open(rate)) {
            assertThat(session.accept(silence)).isEmpty();
            assertThat(session.probability()).isLessThan(0.1f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 8000})
    void moderateWhiteNoiseIsNotSpeech(int rate) {
        AudioFrame noise = TestAudio.whiteNoise(4, rate, -30, 42);
        assertThat(detect(vad, noise, rate / 50)).isEmpty();
    }

    @Test
    void speechAfterNoiseIsStillFound() {
        AudioFrame audio = TestAudio.concat(TestAudio.whiteNoise(1, 16000, -40, 7), TestAudio.pizza(16000));
        List<VadEvent> events = detect(vad, audio, 320);
        assertThat(events).hasSize(2).first().isInstanceOf(VadEvent.SpeechStarted.class);
        assertThat(seconds(((VadEvent.SpeechStarted) events.getFirst()).at())).isCloseTo(2.0, within(0.15));
    }

    @Test
    void frameSizeDoesNotChangeTheEvents() {
        AudioFrame audio = TestAudio.pizza(16000);
        List<VadEvent> expected = detect(vad, audio, 512);
        assertThat(expected).hasSize(2);
        for (int frameLength : new int[] {160, 320, 333, 1}) {
            assertThat(detect(vad, audio, frameLength)).as("frames of %d samples", frameLength).isEqualTo(expected);
        }
        assertThat(detect(vad, audio, audio.length())).as("one frame").isEqualTo(expected);
    }

    @Test
    void probabilitiesMatchAPlainReferenceImplementation() throws Exception {
        for (int rate : new int[] {16000, 8000}) {
            AudioFrame audio = TestAudio.pizza(rate);
            List<Float> expected = ReferenceSilero.probabilities(vad.model(), audio.samples(), rate);
            List<Float> actual = new ArrayList<>();
            try (VadSession session = vad.open(rate)) {
                for (AudioFrame frame : TestAudio.frames(audio, rate == 16000 ? 512 : 256)) { // one window each
                    session.accept(frame);
                    actual.add(session.probability());
                }
            }
            assertThat(actual).hasSizeGreaterThanOrEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).as("window %d at %d Hz", i, rate).isCloseTo(expected.get(i), within(1e-5f));
            }
            assertThat(expected.stream().anyMatch(p -> p > 0.9f)).isTrue();
        }
    }

    @Test
    void unsupportedRatesAreRejected() {
        assertThatThrownBy(() -> vad.open(44100)).isInstanceOf(ParleyException.class)
                .hasMessageContaining("8000 and 16000 Hz").hasMessageContaining("44100");
        try (VadSession session = vad.open(16000)) {
            assertThatThrownBy(() -> session.accept(AudioFrame.silence(Duration.ofMillis(20), 8000)))
                    .isInstanceOf(ParleyException.class).hasMessageContaining("8000 Hz");
        }
    }

    @Test
    void closedSessionRefusesAudio() {
        VadSession session = vad.open(8000);
        session.close();
        session.close();
        assertThatThrownBy(() -> session.accept(AudioFrame.silence(Duration.ofMillis(20), 8000)))
                .isInstanceOf(ParleyException.class).hasMessageContaining("closed");
    }

    @Test
    void builderSettingsAndDefaults() {
        assertThat(vad.startThreshold()).isEqualTo(0.5f);
        assertThat(vad.stopThreshold()).isCloseTo(0.35f, within(1e-6f));
        assertThat(vad.minSilence()).isEqualTo(Duration.ofMillis(300));
        assertThat(vad.name()).isEqualTo("silero-vad-v5");
        assertThatThrownBy(() -> SileroVad.builder().startThreshold(0.5f).stopThreshold(0.7f).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void minSilenceAndPadMoveOnlyTheReportedEnd() {
        AudioFrame audio = TestAudio.pizza(16000);
        try (SileroVad patient = SileroVad.builder().minSilence(Duration.ofMillis(800)).speechPad(Duration.ZERO).build()) {
            List<VadEvent> events = detect(patient, audio, 320);
            List<VadEvent> normal = detect(vad, audio, 320);
            assertThat(events).hasSize(2);
            // Same silence start: the end is the default's minus its 30 ms pad.
            assertThat(((VadEvent.SpeechEnded) events.get(1)).at())
                    .isEqualTo(((VadEvent.SpeechEnded) normal.get(1)).at().minusMillis(30));
        }
    }

    @Test
    void modelCanBeLoadedFromAFile(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("silero.onnx");
        try (InputStream in = SileroVad.class.getResourceAsStream(SileroVad.MODEL_RESOURCE)) {
            assertThat(in).isNotNull();
            Files.copy(in, model);
        }
        try (SileroVad fromFile = SileroVad.builder().modelPath(model).build()) {
            assertThat(detect(fromFile, TestAudio.pizza(8000), 160)).isEqualTo(detect(vad, TestAudio.pizza(8000), 160));
        }
    }

    @Test
    void badModelFilesFailClearly(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> SileroVad.builder().modelPath(dir.resolve("missing.onnx")).build())
                .isInstanceOf(ParleyException.class).hasMessageContaining("could not read");
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> SileroVad.builder().modelPath(garbage).build())
                .isInstanceOf(ParleyException.class).hasMessageContaining("could not load");
    }
}
