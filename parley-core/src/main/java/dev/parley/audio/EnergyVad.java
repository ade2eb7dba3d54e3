package dev.parley.audio;

import dev.parley.spi.VadSession;
import dev.parley.spi.VoiceActivityDetector;
import java.time.Duration;

/**
 * The fallback voice activity detector: no model, just energy. Use it when no model-based VAD is
 * available; it cannot tell speech from other loud sounds.
 *
 * <p>The audio is cut into fixed windows (10 ms by default, or 20 ms) whatever the frame size. Each
 * window's RMS level in dBFS is compared with an adaptive noise floor: the 10th percentile of the
 * window levels over the last {@link Builder#noiseHistory(Duration) noise history} (5 s by default).
 * A window is voiced when its level is at least {@link Builder#startThreshold(double) startThreshold} dB
 * above the floor and at least {@link Builder#minimumLevel(double) minimumLevel} dBFS. Once speech
 * has started, windows stay voiced down to {@link Builder#stopThreshold(double) stopThreshold} dB
 * above the floor (and {@code minimumLevel - (startThreshold - stopThreshold)}): that is the hysteresis.
 *
 * <p>{@link dev.parley.spi.VadEvent.SpeechStarted} is emitted after {@link Builder#minSpeech(Duration)
 * minSpeech} of consecutive voiced windows (shorter clicks are ignored), carrying the time of the first
 * of them; {@link dev.parley.spi.VadEvent.SpeechEnded} after {@link Builder#minSilence(Duration)
 * minSilence} of consecutive unvoiced windows, carrying the start of that silence. Times are offsets
 * from the start of the session's audio, exact to the window.
 *
 * <p>Because the floor follows the quieter tenth of recent audio, a new steady noise (a fan turned
 * on) is taken for speech at first and becomes the floor after about 90 % of the noise history; for
 * the same reason one unbroken sound longer than that ends as speech (real speech has pauses), and
 * noise that rises faster than about {@code startThreshold / (0.9 × noiseHistory)} (2.7 dB/s by
 * default) is taken for speech.
 *
 * <p>Instances are immutable and thread-safe; each {@link #open(int)} makes an independent session.
 */
public final class EnergyVad implements VoiceActivityDetector {
    private final Duration window;
    private final double startThreshold;
    private final double stopThreshold;
    private final double minimumLevel;
    private final Duration minSpeech;
    private final Duration minSilence;
    private final Duration noiseHistory;

    private EnergyVad(Builder b) {
        this.window = b.window;
        this.startThreshold = b.startThreshold;
        this.stopThreshold = b.stopThreshold;
        this.minimumLevel = b.minimumLevel;
        this.minSpeech = b.minSpeech;
        this.minSilence = b.minSilence;
        this.noiseHistory = b.noiseHistory;
    }

    /** A detector with the default settings. */
    public static EnergyVad create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public VadSession open(int sampleRate) {
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
        return new EnergyVadSession(this, sampleRate);
    }

    @Override
    public String name() {
        return "energy";
    }

    public Duration window() {
        return window;
    }

    /** Decibels above the noise floor a window needs to count as speech while not in speech. */
    public double startThreshold() {
        return startThreshold;
    }

    /** Decibels above the noise floor a window needs to keep counting as speech once in speech. */
    public double stopThreshold() {
        return stopThreshold;
    }

    /** The lowest level (dBFS) that can start speech, however quiet the floor. */
    public double minimumLevel() {
        return minimumLevel;
    }

    public Duration minSpeech() {
        return minSpeech;
    }

    public Duration minSilence() {
        return minSilence;
    }

    public Duration noiseHistory() {
        return noiseHistory;
    }

    @Override
    public String toString() {
        return "EnergyVad[window=" + window.toMillis() + "ms, start=" + startThreshold + "dB, stop=" + stopThreshold
                + "dB, min=" + minimumLevel + "dBFS, minSpeech=" + minSpeech.toMillis() + "ms, minSilence="
                + minSilence.toMillis() + "ms]";
    }

    /** Settings of an {@link EnergyVad}; every setting has a default. */
    public static final class Builder {
        private Duration window = Duration.ofMillis(10);
        private double startThreshold = 12;
        private double stopThreshold = 6;
        private double minimumLevel = -50;
        private Duration minSpeech = Duration.ofMillis(100);
        private Duration minSilence = Duration.ofMillis(300);
        private Duration noiseHistory = Duration.ofSeconds(5);

        private Builder() {}

        /** Analysis window: 10 ms (default) or 20 ms. */
        public Builder window(Duration window) {
            if (!window.equals(Duration.ofMillis(10)) && !window.equals(Duration.ofMillis(20))) {
                throw new IllegalArgumentException("window must be 10 or 20 ms, not " + window);
            }
            this.window = window;
            return this;
        }

        /** dB above the noise floor that starts speech (default 12). */
        public Builder startThreshold(double decibels) {
            this.startThreshold = decibels;
            return this;
        }

        /** dB above the noise floor that keeps speech going (default 6); at most the start threshold. */
        public Builder stopThreshold(double decibels) {
            this.stopThreshold = decibels;
            return this;
        }

        /** Absolute level in dBFS below which nothing starts speech (default -50). */
        public Builder minimumLevel(double dbfs) {
            this.minimumLevel = dbfs;
            return this;
        }

        /** Voiced time needed before speech is reported as started (default 100 ms). */
        public Builder minSpeech(Duration minSpeech) {
            this.minSpeech = positive("minSpeech", minSpeech);
            return this;
        }

        /** Unvoiced time needed before speech is reported as ended (default 300 ms). */
        public Builder minSilence(Duration minSilence) {
            this.minSilence = positive("minSilence", minSilence);
            return this;
        }

        /** How much recent audio the noise floor is estimated from (default 5 s, at least 1 s). */
        public Builder noiseHistory(Duration noiseHistory) {
            if (noiseHistory.compareTo(Duration.ofSeconds(1)) < 0 || noiseHistory.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("noise history must be 1 s to 1 min, not " + noiseHistory);
            }
            this.noiseHistory = noiseHistory;
            return this;
        }

        public EnergyVad build() {
            if (!(stopThreshold >= 0 && stopThreshold <= startThreshold && startThreshold <= 60)) {
                throw new IllegalArgumentException(
                        "need 0 <= stopThreshold <= startThreshold <= 60 dB, got " + stopThreshold + " and " + startThreshold);
            }
            if (!(minimumLevel >= -120 && minimumLevel <= 0)) {
                throw new IllegalArgumentException("minimumLevel must be within -120..0 dBFS, got " + minimumLevel);
            }
            return new EnergyVad(this);
        }

        private static Duration positive(String what, Duration d) {
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException(what + " must be within (0, 10 s], got " + d);
            }
            return d;
        }
    }
}
