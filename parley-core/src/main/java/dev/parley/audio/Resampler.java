package dev.parley.audio;

import java.time.Duration;

/**
 * A streaming sample-rate converter for PCM16 mono audio between any two rates whose reduced
 * ratio {@code output/input = up/down} has {@code up <= 1024} (all of 8, 16, 24, 44.1 and 48 kHz).
 *
 * <p>It is a polyphase windowed-sinc FIR (Kaiser window, about 70 dB stopband; see
 * {@link #passband()} and {@link #stopband()}) that band-limits to the lower of the two rates, so
 * down-sampling does not alias and up-sampling does not image. The filter bank is computed once
 * per rate pair and shared; an instance holds only its input history.
 *
 * <p>The instance keeps state across calls: output is bit-identical however the input is split into
 * chunks (including empty and one-sample chunks), and after {@code n} input samples in total exactly
 * {@code ceil(n × output / input)} samples have come out. Output is delayed by {@link #latency()};
 * {@link #flush()} pushes the remaining tail out. Results are rounded and saturated to 16 bits.
 * When the rates are equal it is a plain copy with no delay.
 *
 * <p>Not thread-safe: one instance per stream, fed by one thread. Each call allocates only its
 * output array (and grows the internal buffer when a chunk is larger than any before).
 */
public final class Resampler {
    private final int inputRate;
    private final int outputRate;
    private final ResamplerFilter filter;
    private final int taps;
    private final int stepWhole;
    private final int stepFraction;
    /** History ({@code taps - 1} samples) followed by the current chunk. */
    private float[] buffer;
    /** Index, relative to the start of the next chunk, of the newest input the next output needs. */
    private long base;
    /** Phase (0 .. up-1) of the next output. */
    private int phase;

    private Resampler(int inputRate, int outputRate) {
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        this.filter = ResamplerFilter.forRates(inputRate, outputRate);
        this.taps = filter.taps;
        this.stepWhole = filter.down / filter.up;
        this.stepFraction = filter.down % filter.up;
        this.buffer = new float[taps - 1 + 320];
    }

    /**
     * A resampler from {@code inputRate} to {@code outputRate} Hz.
     *
     * @throws IllegalArgumentException if a rate is outside 1 kHz..192 kHz or the ratio is too fine-grained
     */
    public static Resampler create(int inputRate, int outputRate) {
        checkRate(inputRate);
        checkRate(outputRate);
        return new Resampler(inputRate, outputRate);
    }

    public int inputRate() {
        return inputRate;
    }

    public int outputRate() {
        return outputRate;
    }

    /** Whether this instance only copies (equal rates). */
    public boolean passthrough() {
        return inputRate == outputRate;
    }

    /** The delay the filter adds between input and output (zero for passthrough). */
    public Duration latency() {
        if (passthrough()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.round(filter.delay * 1e9 / ((double) filter.up * inputRate)));
    }

    /** Frequency (Hz) up to which the response is flat within the design ripple. */
    public double passband() {
        return passthrough() ? inputRate / 2.0 : (ResamplerFilter.CUTOFF - ResamplerFilter.HALF_TRANSITION) * lowerRate();
    }

    /** Frequency (Hz) from which the response is attenuated by at least the design stopband. */
    public double stopband() {
        return passthrough() ? inputRate / 2.0 : (ResamplerFilter.CUTOFF + ResamplerFilter.HALF_TRANSITION) * lowerRate();
    }

    /** Converts the next chunk of the stream (of any length, even zero). */
    public short[] process(short[] in) {
        if (passthrough()) {
            return in.clone();
        }
        int n = in.length;
        int need = taps - 1 + n;
        if (buffer.length < need) {
            float[] bigger = new float[Math.max(need, buffer.length * 2)];
            System.arraycopy(buffer, 0, bigger, 0, taps - 1);
            buffer = bigger;
        }
        float[] buf = buffer;
        for (int i = 0; i < n; i++) {
            buf[taps - 1 + i] = in[i];
        }
        short[] out = new short[outputCount(n)];
        float[][] phases = filter.phases;
        int up = filter.up;
        long b = base;
        int p = phase;
        for (int o = 0; o < out.length; o++) {
            out[o] = saturate(dot(phases[p], buf, (int) b));
            p += stepFraction;
            b += stepWhole;
            if (p >= up) {
                p -= up;
                b++;
            }
        }
        base = b - n;
        phase = p;
        System.arraycopy(buf, n, buf, 0, taps - 1);
        return out;
    }

    /** Converts a frame at {@link #inputRate()} to a frame at {@link #outputRate()}. */
    public AudioFrame process(AudioFrame frame) {
        if (frame.sampleRate() != inputRate) {
            throw new IllegalArgumentException(
                    "frame is at " + frame.sampleRate() + " Hz, resampler expects " + inputRate + " Hz");
        }
        return new AudioFrame(process(frame.samples()), outputRate);
    }

    /**
     * Ends the stream: returns the output still held back by the filter delay (as if silence
     * followed) and resets the instance so it can start a new stream.
     */
    public short[] flush() {
        if (passthrough()) {
            return new short[0];
        }
        int pad = (int) Math.ceil(filter.delay / filter.up);
        short[] tail = process(new short[pad]);
        reset();
        return tail;
    }

    /** Forgets the stream so far (history back to silence, output position back to zero). */
    public void reset() {
        java.util.Arrays.fill(buffer, 0f);
        base = 0;
        phase = 0;
    }

    /** Number of outputs whose newest input index falls within a chunk of {@code n} samples. */
    private int outputCount(int n) {
        long remaining = n - base;
        if (remaining <= 0) {
            return 0;
        }
        return (int) ((remaining * filter.up - 1 - phase) / filter.down + 1);
    }

    private double lowerRate() {
        return Math.min(inputRate, outputRate);
    }

    /** Dot product of the phase with {@code buf[offset .. offset + taps)}, four fixed partial sums. */
    private static float dot(float[] c, float[] buf, int offset) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        for (int k = 0; k < c.length; k += 4) {
            a0 += c[k] * buf[offset + k];
            a1 += c[k + 1] * buf[offset + k + 1];
            a2 += c[k + 2] * buf[offset + k + 2];
            a3 += c[k + 3] * buf[offset + k + 3];
        }
        return (a0 + a1) + (a2 + a3);
    }

    private static short saturate(float v) {
        int r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    private static void checkRate(int rate) {
        if (rate < 1000 || rate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + rate);
        }
    }

    @Override
    public String toString() {
        return "Resampler[" + inputRate + " Hz -> " + outputRate + " Hz]";
    }
}
