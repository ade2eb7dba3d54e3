package dev.parley.audio;

import java.time.Duration;

/**
 * A mono audio format: a sample rate and an encoding. Parley's internal audio is always PCM16;
 * G.711 encodings appear only at the edges (transports).
 */
public record AudioFormat(int sampleRate, Encoding encoding) {
    public enum Encoding { PCM16, MULAW, ALAW }

    public static final AudioFormat PCM_8K = new AudioFormat(8000, Encoding.PCM16);
    public static final AudioFormat PCM_16K = new AudioFormat(16000, Encoding.PCM16);
    public static final AudioFormat PCM_24K = new AudioFormat(24000, Encoding.PCM16);
    public static final AudioFormat PCM_48K = new AudioFormat(48000, Encoding.PCM16);
    public static final AudioFormat MULAW_8K = new AudioFormat(8000, Encoding.MULAW);
    public static final AudioFormat ALAW_8K = new AudioFormat(8000, Encoding.ALAW);

    public AudioFormat {
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
    }

    public static AudioFormat pcm16(int sampleRate) {
        return new AudioFormat(sampleRate, Encoding.PCM16);
    }

    /** Bytes one sample takes in this encoding. */
    public int bytesPerSample() {
        return encoding == Encoding.PCM16 ? 2 : 1;
    }

    /** Samples that make the given duration at this rate (rounded down). */
    public int samplesFor(Duration duration) {
        return (int) (duration.toNanos() * sampleRate / 1_000_000_000L);
    }

    /** Duration of the given number of samples at this rate. */
    public Duration durationOf(long samples) {
        return Duration.ofNanos(samples * 1_000_000_000L / sampleRate);
    }
}
