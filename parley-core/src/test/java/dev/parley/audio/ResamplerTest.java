package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    static short[] tone(double frequency, int rate, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return out;
    }

    static short[] concat(short[] a, short[] b) {
        short[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** SNR (dB) of {@code actual} against the ideal tone delayed by {@code delaySeconds}, over [from, to). */
    static double snr(short[] actual, double frequency, int rate, double amplitude, double delaySeconds, int from, int to) {
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            double ideal = amplitude * Math.sin(2 * Math.PI * frequency * (i / (double) rate - delaySeconds));
            signal += ideal * ideal;
            noise += (actual[i] - ideal) * (actual[i] - ideal);
        }
        return 10 * Math.log10(signal / noise);
    }

    static double rms(short[] samples, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    @ParameterizedTest
    @CsvSource({"8000,16000,1000", "16000,8000,1000", "24000,8000,1000", "8000,24000,3000", "48000,16000,1000",
            "16000,48000,5000", "48000,8000,300", "24000,16000,2000", "16000,24000,6500", "44100,16000,1000"})
    void aPassbandToneComesThroughCleanly(int from, int to, double frequency) {
        Resampler resampler = Resampler.create(from, to);
        double amplitude = 16000;
        short[] out = resampler.process(tone(frequency, from, from, amplitude)); // one second
        assertThat(out).hasSize(to);
        double delay = seconds(resampler.latency());
        double snr = snr(out, frequency, to, amplitude, delay, to / 10, to);
        assertThat(snr).as("%d -> %d at %.0f Hz", from, to, frequency).isGreaterThan(60);
    }

    @Test
    void upAndDownAgainKeepsA1kHzToneAbove50dB() {
        Resampler up = Resampler.create(8000, 16000);
        Resampler down = Resampler.create(16000, 8000);
        double amplitude = 20000;
        short[] in = tone(1000, 8000, 8000, amplitude);
        short[] out = new short[0];
        for (int i = 0; i < in.length; i += 160) {
            short[] frame = java.util.Arrays.copyOfRange(in, i, i + 160);
            out = concat(out, down.process(up.process(frame)));
        }
        assertThat(out).hasSize(8000);
        double delay = seconds(up.latency()) + seconds(down.latency());
        assertThat(snr(out, 1000, 8000, amplitude, delay, 800, 8000)).isGreaterThan(50);
    }

    @ParameterizedTest
    @CsvSource({"16000,8000,6000", "16000,8000,4300", "16000,8000,7900", "48000,8000,4300", "48000,8000,20000",
            "24000,16000,9000", "48000,16000,8400"})
    void toneAboveTheOutputBandIsRemoved(int from, int to, double frequency) {
        Resampler resampler = Resampler.create(from, to);
        double amplitude = 30000;
        short[] out = resampler.process(tone(frequency, from, from, amplitude));
        double attenuation = 20 * Math.log10(amplitude / Math.sqrt(2) / rms(out, to / 10, to));
        assertThat(attenuation).as("%d -> %d at %.0f Hz", from, to, frequency).isGreaterThan(60);
    }

    @Test
    void upsamplingLeavesNoImages() {
        // an 8 kHz 3 kHz tone up-sampled to 48 kHz has its first image at 5 kHz; measure energy above 4.2 kHz
        Resampler resampler = Resampler.create(8000, 48000);
        double amplitude = 20000;
        short[] out = resampler.process(tone(3000, 8000, 8000, amplitude));
        double delay = seconds(resampler.latency());
        // everything but the 3 kHz tone is image or noise: SNR against the ideal tone measures both
        assertThat(snr(out, 3000, 48000, amplitude, delay, 4800, 48000)).isGreaterThan(60);
    }

    @ParameterizedTest
    @CsvSource({"8000,16000", "16000,8000", "24000,8000", "8000,48000", "48000,16000", "24000,16000", "44100,48000",
            "16000,16000"})
    void outputIsBitIdenticalHoweverTheInputIsChunked(int from, int to) {
        Random random = new Random(from * 31L + to);
        short[] in = new short[from / 2 + 37];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (random.nextGaussian() * 8000 + 12000 * Math.sin(i * 0.01));
        }
        Resampler whole = Resampler.create(from, to);
        short[] expected = concat(whole.process(in), whole.flush());

        Resampler chunked = Resampler.create(from, to);
        short[] actual = new short[0];
        int position = 0;
        while (position < in.length) {
            int size = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> random.nextInt(7);
                case 3 -> random.nextInt(200);
                default -> random.nextInt(2000);
            };
            size = Math.min(size, in.length - position);
            short[] chunk = java.util.Arrays.copyOfRange(in, position, position + size);
            short[] out = chunked.process(chunk);
            position += size;
            // the running count is always ceil(consumed × to / from)
            actual = concat(actual, out);
            assertThat((long) actual.length).isEqualTo(Math.ceilDiv((long) position * to, from));
        }
        actual = concat(actual, chunked.flush());
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void twentyMillisecondFramesGiveTwentyMillisecondFrames() {
        int[] rates = {8000, 16000, 24000, 48000};
        for (int from : rates) {
            for (int to : rates) {
                Resampler resampler = Resampler.create(from, to);
                for (int i = 0; i < 5; i++) {
                    AudioFrame out = resampler.process(AudioFrame.silence(Duration.ofMillis(20), from));
                    assertThat(out.sampleRate()).isEqualTo(to);
                    assertThat(out.duration()).isEqualTo(Duration.ofMillis(20));
                }
            }
        }
    }

    @Test
    void constantInputStaysExactlyConstant() {
        for (int[] pair : new int[][] {{8000, 16000}, {16000, 8000}, {24000, 16000}, {8000, 44100}}) {
            Resampler resampler = Resampler.create(pair[0], pair[1]);
            short[] in = new short[pair[0] / 10];
            java.util.Arrays.fill(in, (short) -12345);
            short[] out = resampler.process(in);
            for (int i = out.length / 2; i < out.length; i++) {
                assertThat(out[i]).isEqualTo((short) -12345);
            }
        }
    }

    @Test
    void fullScaleInputSaturatesInsteadOfWrapping() {
        // a full-scale square wave rings above full scale near its edges; half scale does not clip
        short[] full = new short[8000];
        short[] half = new short[8000];
        for (int i = 0; i < full.length; i++) {
            boolean high = (i / 40) % 2 == 0;
            full[i] = high ? Short.MAX_VALUE : Short.MIN_VALUE;
            half[i] = (short) (high ? 16383 : -16384);
        }
        for (int[] pair : new int[][] {{8000, 16000}, {8000, 48000}, {16000, 8000}}) {
            short[] outFull = Resampler.create(pair[0], pair[1]).process(full);
            short[] outHalf = Resampler.create(pair[0], pair[1]).process(half);
            boolean clipped = false;
            for (int i = 0; i < outFull.length; i++) {
                int expected = Math.max(-32768, Math.min(32767, 2 * outHalf[i]));
                assertThat(Math.abs(outFull[i] - expected)).as("sample %d", i).isLessThanOrEqualTo(3);
                clipped |= outFull[i] == Short.MAX_VALUE && 2 * outHalf[i] > 32800;
            }
            assertThat(clipped).as("the test signal does overshoot").isTrue();
        }
    }

    @Test
    void flushEmitsTheDelayedTailAndResets() {
        Resampler resampler = Resampler.create(16000, 8000);
        short[] in = tone(500, 16000, 1600, 10000);
        short[] out = resampler.process(in);
        short[] tail = resampler.flush();
        int delaySamples = (int) Math.ceil(seconds(resampler.latency()) * 8000);
        assertThat(tail.length).isBetween(delaySamples, delaySamples + 1);
        // the tone is still present at the start of the tail: it is the end of the input
        assertThat(rms(tail, 0, delaySamples / 2)).isGreaterThan(3000);
        // after flush the instance behaves like a new one
        assertThat(resampler.process(in)).isEqualTo(out);
    }

    @Test
    void latencyIsTheFilterGroupDelayAndSmall() {
        assertThat(Resampler.create(8000, 16000).latency()).isBetween(Duration.ofMillis(1), Duration.ofMillis(5));
        assertThat(Resampler.create(48000, 8000).latency()).isBetween(Duration.ofMillis(1), Duration.ofMillis(5));
        assertThat(Resampler.create(16000, 16000).latency()).isZero();
    }

    @Test
    void sameRateIsACopy() {
        Resampler resampler = Resampler.create(16000, 16000);
        short[] in = tone(440, 16000, 320, 1000);
        short[] out = resampler.process(in);
        assertThat(out).isEqualTo(in).isNotSameAs(in);
        assertThat(resampler.flush()).isEmpty();
        assertThat(resampler.passthrough()).isTrue();
    }

    @Test
    void rejectsWrongFramesAndRates() {
        Resampler resampler = Resampler.create(8000, 16000);
        assertThatThrownBy(() -> resampler.process(AudioFrame.silence(Duration.ofMillis(20), 16000)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resampler.create(8000, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resampler.create(8000, 8001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(resampler.passband()).isGreaterThan(3300);
        assertThat(resampler.stopband()).isLessThan(4200);
    }
}
