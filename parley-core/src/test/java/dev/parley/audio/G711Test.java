package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.audio.AudioFormat.Encoding;
import org.junit.jupiter.api.Test;

class G711Test {

    // ---- An independent model of G.711, built from its tables of decision and output values ----

    /**
     * μ-law, 14-bit magnitudes (G.711 table 2a): eight segments ending at 31, 95, 223, 479, 991, 2015,
     * 4063 and 8159, sixteen intervals each, the first interval of the first segment being {0} alone.
     * Returns the 128 lower decision values, in order of increasing magnitude.
     */
    private static int[] muLawDecisions() {
        int[] ends = {31, 95, 223, 479, 991, 2015, 4063, 8159};
        int[] lower = new int[128];
        int start = -1;
        int j = 0;
        for (int end : ends) {
            int step = (end - start) / 16;
            for (int k = 0; k < 16; k++) {
                lower[j++] = start + k * step;
            }
            start = end;
        }
        lower[0] = 0;
        return lower;
    }

    /** A-law, 12-bit magnitudes (G.711 table 1a): 32 intervals of 1, then segments ending at 64..2048. */
    private static int[] aLawDecisions() {
        int[] lower = new int[128];
        for (int j = 0; j < 32; j++) {
            lower[j] = j;
        }
        int j = 32;
        for (int end = 64; end <= 2048; end *= 2) {
            int step = (end / 2) / 16;
            for (int k = 0; k < 16; k++) {
                lower[j++] = end / 2 + k * step;
            }
        }
        return lower;
    }

    /** Index of the interval holding {@code magnitude}: a plain linear search over decision values. */
    private static int interval(int[] lower, int magnitude) {
        int index = 0;
        while (index + 1 < lower.length && magnitude >= lower[index + 1]) {
            index++;
        }
        return index;
    }

    private static int referenceMuLaw(int pcm) {
        boolean negative = pcm < 0;
        int magnitude = Math.min(8158, (negative ? -pcm - 1 : pcm) / 4); // 14-bit value, floor toward -inf
        int index = interval(muLawDecisions(), magnitude);
        return (negative ? 0x00 : 0x80) | (127 - index);
    }

    private static int referenceALaw(int pcm) {
        boolean negative = pcm < 0;
        int magnitude = (negative ? -pcm - 1 : pcm) / 16; // 13-bit value
        int index = interval(aLawDecisions(), magnitude);
        return ((negative ? 0x00 : 0x80) | index) ^ 0x55;
    }

    /** Output value (16-bit scale) of μ-law interval {@code index}: its midpoint. */
    private static int muLawOutput(int index) {
        int[] lower = muLawDecisions();
        int upper = index == 127 ? 8159 : lower[index + 1];
        return index == 0 ? 0 : (lower[index] + upper) / 2 * 4;
    }

    private static int aLawOutput(int index) {
        int[] lower = aLawDecisions();
        int upper = index == 127 ? 2048 : lower[index + 1];
        return (lower[index] + upper) * 8; // midpoint × 16
    }

    // ---- Tests ----

    @Test
    void muLawEncodeMatchesTheSegmentTablesOnEveryInput() {
        int[] expected = new int[65536];
        int[] lower = muLawDecisions();
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            boolean negative = pcm < 0;
            int magnitude = Math.min(8158, (negative ? -pcm - 1 : pcm) / 4);
            expected[pcm + 32768] = (negative ? 0x00 : 0x80) | (127 - interval(lower, magnitude));
        }
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            assertThat(G711.encodeMuLaw((short) pcm) & 0xFF).as("pcm %d", pcm).isEqualTo(expected[pcm + 32768]);
        }
    }

    @Test
    void aLawEncodeMatchesTheSegmentTablesOnEveryInput() {
        int[] lower = aLawDecisions();
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            boolean negative = pcm < 0;
            int magnitude = (negative ? -pcm - 1 : pcm) / 16;
            int expected = ((negative ? 0x00 : 0x80) | interval(lower, magnitude)) ^ 0x55;
            assertThat(G711.encodeALaw((short) pcm) & 0xFF).as("pcm %d", pcm).isEqualTo(expected);
        }
    }

    @Test
    void knownReferenceValues() {
        assertThat(G711.encodeMuLaw((short) 0) & 0xFF).isEqualTo(0xFF);
        assertThat(G711.encodeMuLaw((short) -1) & 0xFF).isEqualTo(0x7F);
        assertThat(G711.encodeMuLaw((short) 32767) & 0xFF).isEqualTo(0x80);
        assertThat(G711.encodeMuLaw((short) -32768) & 0xFF).isEqualTo(0x00);
        assertThat(G711.encodeMuLaw((short) 1000) & 0xFF).isEqualTo(0xCE);
        assertThat(G711.decodeMuLaw((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.decodeMuLaw((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(G711.decodeMuLaw((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.decodeMuLaw((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.decodeMuLaw((byte) 0xFE)).isEqualTo((short) 8);
        assertThat(G711.decodeMuLaw((byte) 0xCE)).isEqualTo((short) 988);

        assertThat(G711.encodeALaw((short) 0) & 0xFF).isEqualTo(0xD5);
        assertThat(G711.encodeALaw((short) -1) & 0xFF).isEqualTo(0x55);
        assertThat(G711.encodeALaw((short) 32767) & 0xFF).isEqualTo(0xAA);
        assertThat(G711.encodeALaw((short) -32768) & 0xFF).isEqualTo(0x2A);
        assertThat(G711.encodeALaw((short) 1000) & 0xFF).isEqualTo(0xFA);
        assertThat(G711.decodeALaw((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.decodeALaw((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.decodeALaw((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.decodeALaw((byte) 0x2A)).isEqualTo((short) -32256);
        assertThat(G711.decodeALaw((byte) 0xFA)).isEqualTo((short) 1008);
    }

    @Test
    void everyCodeDecodesToTheTableOutputAndReencodesToItself() {
        for (int code = 0; code < 256; code++) {
            int index = 127 - (code & 0x7F);
            int sign = (code & 0x80) != 0 ? 1 : -1;
            short mu = G711.decodeMuLaw((byte) code);
            assertThat((int) mu).as("μ-law %02x", code).isEqualTo(sign * muLawOutput(index));
            int reencoded = G711.encodeMuLaw(mu) & 0xFF;
            assertThat(reencoded).as("μ-law %02x", code).isEqualTo(code == 0x7F ? 0xFF : code);

            int aIndex = (code ^ 0x55) & 0x7F;
            short a = G711.decodeALaw((byte) code);
            assertThat((int) a).as("A-law %02x", code).isEqualTo(sign * aLawOutput(aIndex));
            assertThat(G711.encodeALaw(a) & 0xFF).as("A-law %02x", code).isEqualTo(code);
        }
    }

    @Test
    void roundTripErrorStaysWithinHalfTheQuantisationStep() {
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            int mu = G711.decodeMuLaw(G711.encodeMuLaw((short) pcm));
            int muIndex = 127 - (referenceMuLaw(pcm) & 0x7F);
            int muStep = muIndex < 16 ? 8 : 8 << (muIndex / 16); // 16-bit units
            if (Math.abs(pcm) <= 32124) {
                assertThat(Math.abs(mu - pcm)).as("μ-law %d", pcm).isLessThanOrEqualTo(muStep / 2 + 4);
            } else {
                assertThat(Math.abs(mu)).isEqualTo(32124);
            }
            int a = G711.decodeALaw(G711.encodeALaw((short) pcm));
            int aIndex = (referenceALaw(pcm) ^ 0x55) & 0x7F;
            int aStep = aIndex < 32 ? 16 : 16 << (aIndex / 16 - 1);
            assertThat(Math.abs(a - pcm)).as("A-law %d", pcm).isLessThanOrEqualTo(aStep / 2 + 16);
        }
    }

    @Test
    void arrayAndFrameHelpersAgreeWithTheScalarOnes() {
        short[] pcm = new short[1000];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) random.nextInt();
        }
        byte[] mu = G711.encodeMuLaw(pcm);
        byte[] a = G711.encode(new AudioFrame(pcm, 8000), Encoding.ALAW);
        for (int i = 0; i < pcm.length; i++) {
            assertThat(mu[i]).isEqualTo(G711.encodeMuLaw(pcm[i]));
            assertThat(a[i]).isEqualTo(G711.encodeALaw(pcm[i]));
        }
        short[] muBack = G711.decodeMuLaw(mu);
        AudioFrame aBack = G711.decodeFrame(a, AudioFormat.ALAW_8K);
        assertThat(aBack.sampleRate()).isEqualTo(8000);
        for (int i = 0; i < pcm.length; i++) {
            assertThat(muBack[i]).isEqualTo(G711.decodeMuLaw(mu[i]));
            assertThat(aBack.samples()[i]).isEqualTo(G711.decodeALaw(a[i]));
        }
        AudioFrame slice = G711.decodeFrame(mu, 10, 160, Encoding.MULAW, 8000);
        assertThat(slice.length()).isEqualTo(160);
        assertThat(slice.samples()[0]).isEqualTo(muBack[10]);

        assertThatThrownBy(() -> G711.encode(pcm, Encoding.PCM16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> G711.decodeFrame(mu, 990, 20, Encoding.MULAW, 8000))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
