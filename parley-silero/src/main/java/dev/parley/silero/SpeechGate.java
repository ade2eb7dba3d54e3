package dev.parley.silero;

import dev.parley.spi.VadEvent;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Hysteresis over per-window speech probabilities: turns a probability stream into speech
 * start/end events. Pure and clock-free: positions are sample offsets into the stream.
 *
 * <p>Silence → speech: a window at or above the start threshold opens a candidate; windows
 * below the stop threshold cancel it; windows in between keep it. Once the candidate has lasted
 * the minimum speech, {@link VadEvent.SpeechStarted} is emitted with the candidate's onset
 * moved earlier by the pad.
 *
 * <p>Speech → silence: a window below the stop threshold starts a silence run (if none is
 * running); a window at or above the start threshold cancels it; windows in between let it run
 * on. Once the run has lasted the minimum silence, {@link VadEvent.SpeechEnded} is emitted at
 * the run's start plus the pad.
 */
final class SpeechGate {
    private static final long NONE = -1;

    private final float startThreshold;
    private final float stopThreshold;
    private final long minSpeech;
    private final long minSilence;
    private final long pad;
    private final int sampleRate;

    private boolean speaking;
    private long candidateStart = NONE;
    private long silenceStart = NONE;
    private long onset;

    SpeechGate(VadSettings settings, int sampleRate) {
        this.startThreshold = settings.startThreshold();
        this.stopThreshold = settings.stopThreshold();
        this.minSpeech = samples(settings.minSpeech(), sampleRate);
        this.minSilence = samples(settings.minSilence(), sampleRate);
        this.pad = samples(settings.speechPad(), sampleRate);
        this.sampleRate = sampleRate;
    }

    /**
     * Takes the probability of the window covering samples {@code [windowStart, windowEnd)} and
     * returns the transition it completes, or null.
     */
    @Nullable VadEvent update(float probability, long windowStart, long windowEnd) {
        return speaking ? whileSpeaking(probability, windowStart, windowEnd) : whileSilent(probability, windowStart, windowEnd);
    }

    private @Nullable VadEvent whileSilent(float p, long windowStart, long windowEnd) {
        if (p >= startThreshold) {
            if (candidateStart == NONE) {
                candidateStart = windowStart;
            }
        } else if (p < stopThreshold) {
            candidateStart = NONE;
        }
        if (candidateStart == NONE || windowEnd - candidateStart < minSpeech) {
            return null;
        }
        speaking = true;
        onset = Math.max(0, candidateStart - pad);
        candidateStart = NONE;
        silenceStart = NONE;
        return new VadEvent.SpeechStarted(duration(onset));
    }

    private @Nullable VadEvent whileSpeaking(float p, long windowStart, long windowEnd) {
        if (p >= startThreshold) {
            silenceStart = NONE;
        } else if (p < stopThreshold && silenceStart == NONE) {
            silenceStart = windowStart;
        }
        if (silenceStart == NONE || windowEnd - silenceStart < minSilence) {
            return null;
        }
        speaking = false;
        long end = Math.min(silenceStart + pad, windowEnd);
        silenceStart = NONE;
        return new VadEvent.SpeechEnded(duration(end), duration(end - onset));
    }

    private Duration duration(long samples) {
        return Duration.ofNanos(samples * 1_000_000_000L / sampleRate);
    }

    private static long samples(Duration d, int sampleRate) {
        return d.toNanos() * sampleRate / 1_000_000_000L;
    }
}
