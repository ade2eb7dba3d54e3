package dev.parley.audio;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The immutable polyphase filter bank of one rate conversion, shared by every {@link Resampler}
 * with the same rates (a call holds only its few hundred bytes of history).
 *
 * <p>Design: a Kaiser-windowed sinc low-pass at the up-sampled rate {@code up × inputRate},
 * cut off at {@value #CUTOFF} of the lower of the two rates (−6 dB point), transition band
 * {@code ±}{@value #HALF_TRANSITION} of that rate (so it passes up to 0.42 and stops from 0.52 of
 * the lower rate: 3.36 kHz and 4.16 kHz for 8 kHz), designed for {@value #STOPBAND_DB} dB of
 * stopband attenuation. Each phase is normalised to unit DC gain so constant input stays constant.
 */
final class ResamplerFilter {
    static final double CUTOFF = 0.47;
    static final double HALF_TRANSITION = 0.05;
    static final double STOPBAND_DB = 70;
    /** Largest reduced interpolation factor accepted (keeps the bank under a few hundred kB). */
    static final int MAX_UP = 1024;

    private static final ConcurrentHashMap<Long, ResamplerFilter> CACHE = new ConcurrentHashMap<>();

    final int up;
    final int down;
    /** Taps per phase, a multiple of 4. */
    final int taps;
    /** {@code phases[p][j]} multiplies input {@code x[base - taps + 1 + j]} for outputs at phase p. */
    final float[][] phases;
    /** Group delay in up-sampled samples: {@code (up × taps − 1) / 2}. */
    final double delay;

    private ResamplerFilter(int up, int down, int taps, float[][] phases) {
        this.up = up;
        this.down = down;
        this.taps = taps;
        this.phases = phases;
        this.delay = (up * (double) taps - 1) / 2;
    }

    static ResamplerFilter forRates(int inputRate, int outputRate) {
        long key = ((long) inputRate << 32) | outputRate;
        return CACHE.computeIfAbsent(key, k -> design(inputRate, outputRate));
    }

    private static ResamplerFilter design(int inputRate, int outputRate) {
        int g = gcd(inputRate, outputRate);
        int up = outputRate / g;
        int down = inputRate / g;
        if (up > MAX_UP) {
            throw new IllegalArgumentException(
                    "rate ratio " + outputRate + "/" + inputRate + " needs " + up + " phases; at most " + MAX_UP);
        }
        double upRate = (double) up * inputRate;
        double lower = Math.min(inputRate, outputRate);
        double cutoff = CUTOFF * lower / upRate; // cycles per up-sampled sample
        double transition = 2 * HALF_TRANSITION * lower / upRate;
        // Kaiser's estimate of the length for the attenuation and transition width
        int length = (int) Math.ceil((STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
        int taps = (length + up - 1) / up;
        taps = (taps + 3) & ~3;
        int n = taps * up;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        double center = (n - 1) / 2.0;
        double i0Beta = besselI0(beta);
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i - center;
            double r = t / (center + 0.5); // in (-1, 1): no tap lands on a zero of the window
            double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            h[i] = 2 * cutoff * sinc(2 * cutoff * t) * window;
        }
        float[][] phases = new float[up][taps];
        for (int p = 0; p < up; p++) {
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                sum += h[p + k * up];
            }
            for (int k = 0; k < taps; k++) {
                // tap k of the phase applies to x[base - k]; store reversed for a forward dot product
                phases[p][taps - 1 - k] = (float) (h[p + k * up] / sum);
            }
        }
        return new ResamplerFilter(up, down, taps, phases);
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    /** Modified Bessel function of the first kind, order 0 (power series). */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
