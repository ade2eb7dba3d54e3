package dev.parley.silero;

import java.time.Duration;

/** Hysteresis settings of a {@link SileroVad}; validated by its builder. */
record VadSettings(float startThreshold, float stopThreshold, Duration minSpeech, Duration minSilence, Duration speechPad) {
    VadSettings {
        if (!(startThreshold > 0 && startThreshold < 1)) {
            throw new IllegalArgumentException("start threshold must be in (0, 1), was " + startThreshold);
        }
        if (!(stopThreshold > 0 && stopThreshold <= startThreshold)) {
            throw new IllegalArgumentException(
                    "stop threshold must be in (0, start threshold " + startThreshold + "], was " + stopThreshold);
        }
        requireNonNegative("min speech", minSpeech);
        requireNonNegative("min silence", minSilence);
        requireNonNegative("speech pad", speechPad);
    }

    private static void requireNonNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
    }
}
