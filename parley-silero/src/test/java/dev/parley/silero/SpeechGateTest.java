package dev.parley.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.spi.VadEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hysteresis alone, driven by made-up probabilities (16 kHz, 512-sample = 32 ms windows). */
class SpeechGateTest {
    private static final int RATE = 16000;
    private static final int WINDOW = 512;

    private static final VadSettings SETTINGS =
            new VadSettings(0.5f, 0.35f, Duration.ofMillis(96), Duration.ofMillis(300), Duration.ofMillis(30));

    /** Runs probabilities through a fresh gate; returns events keyed by the window index that produced them. */
    private static List<String> run(VadSettings settings, float... probabilities) {
        SpeechGate gate = new SpeechGate(settings, RATE);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            VadEvent e = gate.update(probabilities[i], (long) i * WINDOW, (long) (i + 1) * WINDOW);
            if (e != null) {
                out.add(i + ":" + e);
            }
        }
        return out;
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    @Test
    void startIsConfirmedAfterMinSpeechAndDatedAtTheOnsetMinusPad() {
        List<String> events = run(SETTINGS, 0.1f, 0.1f, 0.1f, 0.9f, 0.9f, 0.9f, 0.9f);
        // Onset at window 3 = 96 ms; three windows (96 ms) later, at window 5, it is confirmed.
        assertThat(events).containsExactly("5:" + new VadEvent.SpeechStarted(ms(96 - 30)));
    }

    @Test
    void blipShorterThanMinSpeechIsIgnored() {
        assertThat(run(SETTINGS, 0.1f, 0.9f, 0.9f, 0.1f, 0.1f, 0.9f, 0.2f)).isEmpty();
    }

    @Test
    void windowsBetweenThresholdsKeepACandidateButDoNotStartOne() {
        assertThat(run(SETTINGS, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f)).isEmpty();
        assertThat(run(SETTINGS, 0.1f, 0.9f, 0.4f, 0.4f))
                .containsExactly("3:" + new VadEvent.SpeechStarted(ms(32 - 30)));
    }

    @Test
    void endComesAfterMinSilenceAtTheSilenceStartPlusPad() {
        float[] p = new float[30];
        for (int i = 0; i < 10; i++) {
            p[i] = 0.9f; // speech in windows 0..9, started at 0 (pad clamps at 0)
        }
        List<String> events = run(SETTINGS, p);
        // Silence from window 10 (320 ms); 300 ms needs 10 windows, confirmed at window 19.
        assertThat(events).containsExactly(
                "2:" + new VadEvent.SpeechStarted(Duration.ZERO),
                "19:" + new VadEvent.SpeechEnded(ms(320 + 30), ms(350)));
    }

    @Test
    void shortDipsDoNotEndSpeechAndAStartLevelWindowRestartsTheSilenceRun() {
        float[] p = new float[40];
        Arrays.fill(p, 0.9f);
        for (int i = 10; i < 18; i++) {
            p[i] = 0.1f; // 256 ms dip: shorter than 300 ms
        }
        for (int i = 20; i < 40; i++) {
            p[i] = i < 25 ? 0.4f : 0.1f; // between thresholds, then silence
        }
        List<String> events = run(SETTINGS, p);
        // The silence run starts at window 25 (800 ms), not 20: in-between windows do not start it.
        assertThat(events).containsExactly(
                "2:" + new VadEvent.SpeechStarted(Duration.ZERO),
                "34:" + new VadEvent.SpeechEnded(ms(800 + 30), ms(830)));
    }

    @Test
    void inBetweenWindowsDuringSilenceRunDoNotResetIt() {
        float[] p = new float[30];
        Arrays.fill(p, 0, 5, 0.9f);
        Arrays.fill(p, 5, 30, 0.1f);
        p[7] = 0.45f;
        assertThat(run(SETTINGS, p)).containsExactly(
                "2:" + new VadEvent.SpeechStarted(Duration.ZERO),
                "14:" + new VadEvent.SpeechEnded(ms(160 + 30), ms(190)));
    }

    @Test
    void zeroMinimumsReactOnTheFirstWindow() {
        VadSettings eager = new VadSettings(0.5f, 0.5f, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        assertThat(run(eager, 0.6f, 0.4f)).containsExactly(
                "0:" + new VadEvent.SpeechStarted(Duration.ZERO),
                "1:" + new VadEvent.SpeechEnded(ms(32), ms(32)));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new VadSettings(0.5f, 0.6f, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop threshold");
        assertThatThrownBy(() -> new VadSettings(1.0f, 0.6f, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start threshold");
        assertThatThrownBy(() -> new VadSettings(0.5f, 0.3f, Duration.ZERO, Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min silence");
    }
}
