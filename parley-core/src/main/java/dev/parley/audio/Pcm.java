package dev.parley.audio;

import java.util.Objects;

/**
 * Small PCM16 helpers: little-endian byte conversion, saturating gain and mix, and levels.
 * All methods return new arrays and never change their arguments.
 */
public final class Pcm {
    private Pcm() {}

    /** Little-endian bytes of the samples. */
    public static byte[] toBytesLE(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    /** Samples from {@code length} little-endian bytes (an odd last byte is ignored). */
    public static short[] fromBytesLE(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        short[] out = new short[length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((bytes[offset + 2 * i] & 0xFF) | (bytes[offset + 2 * i + 1] << 8));
        }
        return out;
    }

    /** Samples from all of {@code bytes}, little-endian. */
    public static short[] fromBytesLE(byte[] bytes) {
        return fromBytesLE(bytes, 0, bytes.length);
    }

    /** Clamps to the 16-bit range. */
    public static short saturate(int value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }

    /** The samples scaled by {@code decibels} (negative to attenuate), rounded and saturated. */
    public static short[] gain(short[] samples, double decibels) {
        double factor = Math.pow(10, decibels / 20);
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = saturate((int) Math.round(samples[i] * factor));
        }
        return out;
    }

    /** The sample-wise sum, saturated; the shorter input is treated as followed by silence. */
    public static short[] mix(short[] a, short[] b) {
        short[] out = new short[Math.max(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            int sum = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
            out[i] = saturate(sum);
        }
        return out;
    }

    /** Root-mean-square level in dBFS (full-scale square wave = 0 dBFS); -120 for silence or no samples. */
    public static double levelDbfs(short[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return meanSquareToDbfs(length == 0 ? 0 : sum / length);
    }

    /** The level of a mean square (of raw sample values) in dBFS, floored at -120. */
    static double meanSquareToDbfs(double meanSquare) {
        double db = 10 * Math.log10(meanSquare / (32768.0 * 32768.0));
        return Double.isNaN(db) || db < -120 ? -120 : db;
    }
}
