package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.spi.VadEvent;
import dev.parley.spi.VadEvent.SpeechEnded;
import dev.parley.spi.VadEvent.SpeechStarted;
import dev.parley.spi.VadSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnergyVadTest {
    private static final int RATE = 16000;
    private static final Duration WINDOW = Duration.ofMillis(10);

    /** Builds a synthetic stream section by section. */
    private static final class Signal {
        private final Random random = new Random(42);
        private short[] samples = new short[0];

        private Signal append(double[] section) {
            int start = samples.length;
            samples = java.util.Arrays.copyOf(samples, start + section.length);
            for (int i = 0; i < section.length; i++) {
                samples[start + i] = Pcm.saturate((int) Math.round(section[i]));
            }
            return this;
        }

        /** Gaussian noise at an RMS level (dBFS); -200 for digital silence. */
        Signal noise(int millis, double dbfs) {
            double sigma = dbfs <= -150 ? 0 : 32768 * Math.pow(10, dbfs / 20);
            double[] s = new double[RATE * millis / 1000];
            for (int i = 0; i < s.length; i++) {
                s[i] = sigma * random.nextGaussian();
            }
            return append(s);
        }

        /** A vowel-like voiced sound: 120 Hz harmonics with a formant-ish tilt and a 4 Hz syllable envelope, plus noise. */
        Signal voiced(int millis, double dbfs, double noiseDbfs) {
            double[] s = new double[RATE * millis / 1000];
            double power = 0;
            for (int i = 0; i < s.length; i++) {
                double t = i / (double) RATE;
                double v = 0;
                for (int h = 1; h * 120 < 3800; h++) {
                    double f = h * 120;
                    double formant = 1 / (1 + Math.pow((f - 700) / 300, 2)) + 0.5 / (1 + Math.pow((f - 1200) / 300, 2));
                    v += formant * Math.sin(2 * Math.PI * f * t + h);
                }
                s[i] = v * (0.65 + 0.35 * Math.sin(2 * Math.PI * 4 * t));
                power += s[i] * s[i];
            }
            double scale = 32768 * Math.pow(10, dbfs / 20) / Math.sqrt(power / s.length);
            double sigma = 32768 * Math.pow(10, noiseDbfs / 20);
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] * scale + sigma * random.nextGaussian();
            }
            return append(s);
        }

        short[] samples() {
            return samples;
        }
    }

    /** An event and the stream position at which it was returned (end of the frame that caused it). */
    private record Seen(VadEvent event, Duration returnedAt) {}

    private static List<Seen> run(VadSession session, short[] samples, int chunk) {
        List<Seen> seen = new ArrayList<>();
        for (int start = 0; start < samples.length; start += chunk) {
            short[] part = java.util.Arrays.copyOfRange(samples, start, Math.min(samples.length, start + chunk));
            for (VadEvent e : session.accept(new AudioFrame(part, RATE))) {
                seen.add(new Seen(e, Duration.ofNanos((start + part.length) * 1_000_000_000L / RATE)));
            }
        }
        return seen;
    }

    private static List<VadEvent> events(EnergyVad vad, short[] samples, int chunk) {
        try (VadSession session = vad.open(RATE)) {
            return run(session, samples, chunk).stream().map(Seen::event).toList();
        }
    }

    private static void assertNear(Duration actual, Duration expected) {
        assertThat(actual).isBetween(expected.minus(WINDOW), expected.plus(WINDOW));
    }

    @Test
    void silenceAndSteadyNoiseGiveNoEvents() {
        EnergyVad vad = EnergyVad.create();
        assertThat(events(vad, new Signal().noise(5000, -200).samples(), 320)).isEmpty();
        assertThat(events(vad, new Signal().noise(5000, -60).samples(), 320)).isEmpty();
        assertThat(events(vad, new Signal().noise(5000, -35).samples(), 320)).isEmpty();
        // slowly rising noise (2 dB per second, for 8 s)
        Signal rising = new Signal();
        for (int i = 0; i < 80; i++) {
            rising.noise(100, -60 + 0.2 * i);
        }
        assertThat(events(vad, rising.samples(), 320)).isEmpty();
    }

    @Test
    void oneUtteranceBetweenSilencesGivesOneStartAndOneEndAtTheRightTimes() {
        short[] samples = new Signal().noise(1000, -55).voiced(1200, -22, -55).noise(1500, -55).samples();
        try (VadSession session = EnergyVad.create().open(RATE)) {
            List<Seen> seen = run(session, samples, 320);
            assertThat(seen).hasSize(2);
            SpeechStarted started = (SpeechStarted) seen.get(0).event();
            SpeechEnded ended = (SpeechEnded) seen.get(1).event();
            assertNear(started.at(), Duration.ofMillis(1000));
            assertNear(ended.at(), Duration.ofMillis(2200));
            assertNear(ended.speech(), Duration.ofMillis(1200));
            // confirmed only after the minimum speech and the minimum silence (returned within a 20 ms frame of it)
            assertThat(seen.get(0).returnedAt())
                    .isBetween(started.at().plusMillis(100), started.at().plusMillis(100 + 20));
            assertThat(seen.get(1).returnedAt()).isBetween(ended.at().plusMillis(300), ended.at().plusMillis(300 + 20));
        }
    }

    @Test
    void aToneBurstInDigitalSilenceIsTimedToTheWindow() {
        short[] burst = ResamplerTest.tone(440, RATE, RATE / 2, 8000);
        short[] samples = ResamplerTest.concat(
                ResamplerTest.concat(new short[RATE * 705 / 1000], burst), new short[RATE]);
        List<VadEvent> events = events(EnergyVad.create(), samples, 160);
        assertThat(events).hasSize(2);
        // the tone starts at 705 ms, in the middle of the window [700, 710)
        assertThat(((SpeechStarted) events.get(0)).at()).isEqualTo(Duration.ofMillis(700));
        assertThat(((SpeechEnded) events.get(1)).at()).isEqualTo(Duration.ofMillis(1210));
    }

    @Test
    void eventsDoNotDependOnFrameSize() {
        short[] samples = new Signal().noise(800, -50).voiced(700, -25, -50).noise(500, -50).voiced(300, -30, -50)
                .noise(1000, -50).samples();
        List<VadEvent> reference = events(EnergyVad.create(), samples, 320);
        assertThat(reference).hasSize(4);
        assertThat(events(EnergyVad.create(), samples, 7)).isEqualTo(reference);
        assertThat(events(EnergyVad.create(), samples, 480)).isEqualTo(reference);
        assertThat(events(EnergyVad.create(), samples, samples.length)).isEqualTo(reference);
    }

    @Test
    void clicksShorterThanTheMinimumSpeechAreIgnored() {
        Signal clicks = new Signal().noise(1000, -60);
        for (int i = 0; i < 5; i++) {
            clicks.voiced(80, -15, -60).noise(400, -60);
        }
        assertThat(events(EnergyVad.create(), clicks.samples(), 320)).isEmpty();
        // just over the minimum speech: detected
        short[] longer = new Signal().noise(1000, -60).voiced(130, -15, -60).noise(1000, -60).samples();
        assertThat(events(EnergyVad.create(), longer, 320)).hasSize(2);
        // a longer minimum speech ignores it
        EnergyVad strict = EnergyVad.builder().minSpeech(Duration.ofMillis(200)).build();
        assertThat(events(strict, longer, 320)).isEmpty();
    }

    @Test
    void pausesShorterThanTheMinimumSilenceAreBridged() {
        short[] shortPause = new Signal().noise(1000, -55).voiced(500, -25, -55).noise(200, -55).voiced(500, -25, -55)
                .noise(1000, -55).samples();
        List<VadEvent> bridged = events(EnergyVad.create(), shortPause, 320);
        assertThat(bridged).hasSize(2);
        assertNear(((SpeechEnded) bridged.get(1)).speech(), Duration.ofMillis(1200));

        short[] longPause = new Signal().noise(1000, -55).voiced(500, -25, -55).noise(450, -55).voiced(500, -25, -55)
                .noise(1000, -55).samples();
        List<VadEvent> split = events(EnergyVad.create(), longPause, 320);
        assertThat(split).hasSize(4);
        assertNear(((SpeechStarted) split.get(2)).at(), Duration.ofMillis(1950));
    }

    @Test
    void quietSpeechBelowTheMinimumLevelIsIgnoredButAdjustable() {
        short[] quiet = new Signal().noise(1000, -90).voiced(800, -58, -90).noise(1000, -90).samples();
        assertThat(events(EnergyVad.create(), quiet, 320)).isEmpty();
        assertThat(events(EnergyVad.builder().minimumLevel(-65).build(), quiet, 320)).hasSize(2);
    }

    @Test
    void aNewSteadyNoiseBecomesTheFloorAndSpeechAboveItIsStillHeard() {
        short[] samples = new Signal().noise(1000, -60).noise(8000, -30).voiced(800, -10, -30).noise(1000, -30)
                .samples();
        List<VadEvent> events = events(EnergyVad.create(), samples, 320);
        // the noise onset looks like speech until the floor has adapted (within 90 % of the 5 s history)
        assertThat(events).hasSize(4);
        assertNear(((SpeechStarted) events.get(0)).at(), Duration.ofMillis(1000));
        assertThat(((SpeechEnded) events.get(1)).at()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(6000));
        assertNear(((SpeechStarted) events.get(2)).at(), Duration.ofMillis(9000));
        assertNear(((SpeechEnded) events.get(3)).at(), Duration.ofMillis(9800));
    }

    @Test
    void probabilityFollowsTheLastWindow() {
        try (VadSession session = EnergyVad.create().open(RATE)) {
            session.accept(new AudioFrame(new Signal().noise(1000, -60).samples(), RATE));
            assertThat(session.probability()).isLessThan(0.1f);
            session.accept(new AudioFrame(new Signal().voiced(200, -20, -60).samples(), RATE));
            assertThat(session.probability()).isGreaterThan(0.9f);
        }
    }

    @Test
    void worksAt8kHzWith20msWindows() {
        EnergyVad vad = EnergyVad.builder().window(Duration.ofMillis(20)).build();
        short[] at16k = new Signal().noise(1000, -55).voiced(1000, -22, -55).noise(1000, -55).samples();
        short[] at8k = Resampler.create(16000, 8000).process(at16k);
        try (VadSession session = vad.open(8000)) {
            List<VadEvent> events = session.accept(new AudioFrame(at8k, 8000));
            assertThat(events).hasSize(2);
            assertThat(((SpeechStarted) events.get(0)).at())
                    .isBetween(Duration.ofMillis(980), Duration.ofMillis(1020));
            assertThat(((SpeechEnded) events.get(1)).at()).isBetween(Duration.ofMillis(1980), Duration.ofMillis(2020));
            assertThatThrownBy(() -> session.accept(new AudioFrame(at16k, 16000)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThatThrownBy(() -> EnergyVad.builder().startThreshold(5).stopThreshold(8).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnergyVad.builder().window(Duration.ofMillis(15)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnergyVad.builder().minSilence(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        VadSession closed = EnergyVad.create().open(RATE);
        closed.close();
        assertThatThrownBy(() -> closed.accept(AudioFrame.silence(WINDOW, RATE)))
                .isInstanceOf(IllegalStateException.class);
    }
}
