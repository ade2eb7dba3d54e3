package dev.parley.bench;

import java.util.SplittableRandom;

/**
 * Deterministic voice-like test audio: a gliding 100-180 Hz pitch with harmonics up to 3.4 kHz shaped by two
 * formants, syllables at about 4 Hz (loud and quiet passages, so G.711 uses all its segments), and a little noise.
 */
public final class VoiceAudio {
    private VoiceAudio() {}

    /** {@code frames} frames of 20 ms at {@code sampleRate}. */
    public static short[][] frames(int sampleRate, int frames) {
        int perFrame = sampleRate / 50;
        short[] all = samples(sampleRate, perFrame * frames);
        short[][] out = new short[frames][perFrame];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(all, f * perFrame, out[f], 0, perFrame);
        }
        return out;
    }

    static short[] samples(int sampleRate, int n) {
        SplittableRandom noise = new SplittableRandom(7);
        double top = Math.min(3400, sampleRate / 2.0 - 100);
        double phase = 0;
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            double v = 0;
            for (int h = 1; h * f0 < top; h++) {
                double f = h * f0;
                v += (formant(f, 700, 130) + 0.6 * formant(f, 1200, 150) + 0.05) * Math.sin(h * phase);
            }
            double syllable = Math.pow(Math.abs(Math.sin(2 * Math.PI * 2 * t)), 1.5); // 4 peaks a second
            double x = 6000 * syllable * v + 60 * (noise.nextDouble() - 0.5);
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(x)));
        }
        return out;
    }

    private static double formant(double f, double centre, double width) {
        double d = (f - centre) / width;
        return 1 / (1 + d * d);
    }
}
