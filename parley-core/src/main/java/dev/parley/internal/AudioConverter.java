package dev.parley.internal;

import dev.parley.audio.AudioFrame;
import dev.parley.audio.Resampler;
import org.jspecify.annotations.Nullable;

/** Brings frames of any rate to one target rate, keeping resampler state across frames of one stream. */
final class AudioConverter {
    private final int targetRate;
    private @Nullable Resampler resampler;

    AudioConverter(int targetRate) {
        this.targetRate = targetRate;
    }

    AudioFrame convert(AudioFrame frame) {
        if (frame.sampleRate() == targetRate) {
            return frame;
        }
        if (resampler == null || resampler.inputRate() != frame.sampleRate()) {
            resampler = Resampler.create(frame.sampleRate(), targetRate);
        }
        return resampler.process(frame);
    }
}
