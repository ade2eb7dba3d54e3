package dev.parley.sphinx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class To16kTest {
    static short[] sine(double hz, int rate, int n, double amplitude) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void doublingKeepsAToneAndItsLevelWhateverTheChunking() {
        short[] in = sine(1000, 8000, 8000, 10_000);
        To16k whole = To16k.from(8000);
        short[] a = whole.process(in);
        To16k chunked = To16k.from(8000);
        short[] b = new short[a.length];
        int at = 0;
        for (int i = 0; i < in.length; i += 160) {
            short[] part = chunked.process(java.util.Arrays.copyOfRange(in, i, Math.min(in.length, i + 160)));
            System.arraycopy(part, 0, b, at, part.length);
            at += part.length;
        }
        assertThat(a).hasSize(16000).isEqualTo(b);
        assertThat(rms(a, 1000, 15000)).isCloseTo(10_000 / Math.sqrt(2), org.assertj.core.data.Percentage.withPercentage(3));
        // zero crossings of a 1 kHz tone over ~0.875 s: about 1750
        int crossings = 0;
        for (int i = 1001; i < 15000; i++) {
            if ((a[i - 1] < 0) != (a[i] < 0)) {
                crossings++;
            }
        }
        assertThat(crossings).isBetween(1740, 1760);
    }

    @Test
    void interpolatedSamplesLieBetweenTheirNeighboursForASlowTone() {
        short[] out = To16k.from(8000).process(sine(200, 8000, 800, 8000));
        for (int i = 40; i < out.length - 2; i += 2) {
            int lo = Math.min(out[i], out[i + 2]);
            int hi = Math.max(out[i], out[i + 2]);
            assertThat((int) out[i + 1]).isBetween(lo - 60, hi + 60);
        }
    }

    @Test
    void otherRatesAreInterpolatedToTheRightLength() {
        To16k r = To16k.from(48_000);
        int total = 0;
        for (int i = 0; i < 50; i++) {
            total += r.process(sine(440, 48_000, 960, 5000)).length;
        }
        assertThat(total).isBetween(15_990, 16_010);
        assertThat(To16k.from(16_000).process(new short[] {1, 2, 3})).containsExactly(1, 2, 3);
    }
}
