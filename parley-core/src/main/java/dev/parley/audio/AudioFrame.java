package dev.parley.audio;

import java.time.Duration;
import java.util.Arrays;

/**
 * A block of PCM16 mono audio at an explicit sample rate. The sample array is owned by the frame:
 * whoever builds a frame hands the array over and must not change it afterwards (frames travel
 * between threads without copies, 50 of them a second per call).
 */
public final class AudioFrame {
    private final short[] samples;
    private final int sampleRate;

    public AudioFrame(short[] samples, int sampleRate) {
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
        this.samples = samples;
        this.sampleRate = sampleRate;
    }

    /** A frame of silence of the given duration. */
    public static AudioFrame silence(Duration duration, int sampleRate) {
        return new AudioFrame(new short[AudioFormat.pcm16(sampleRate).samplesFor(duration)], sampleRate);
    }

    /** The samples; the array is shared, not copied: read it, do not write it. */
    public short[] samples() {
        return samples;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int length() {
        return samples.length;
    }

    public AudioFormat format() {
        return AudioFormat.pcm16(sampleRate);
    }

    public Duration duration() {
        return Duration.ofNanos(samples.length * 1_000_000_000L / sampleRate);
    }

    /** Root-mean-square level of the frame in dBFS (-inf for digital silence is reported as -120). */
    public double levelDbfs() {
        if (samples.length == 0) {
            return -120;
        }
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / samples.length) / 32768.0;
        return rms <= 1e-6 ? -120 : 20 * Math.log10(rms);
    }

    /** Little-endian PCM16 bytes. */
    public byte[] toPcmBytes() {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    /** A frame from little-endian PCM16 bytes. */
    public static AudioFrame fromPcmBytes(byte[] pcm, int offset, int length, int sampleRate) {
        short[] s = new short[length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((pcm[offset + 2 * i] & 0xff) | (pcm[offset + 2 * i + 1] << 8));
        }
        return new AudioFrame(s, sampleRate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioFrame f && f.sampleRate == sampleRate && Arrays.equals(f.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * sampleRate + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "AudioFrame[" + samples.length + " samples @" + sampleRate + " Hz, " + duration().toMillis() + " ms]";
    }
}
