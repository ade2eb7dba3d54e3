package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PcmTest {

    @Test
    void bytesAreLittleEndianAndRoundTrip() {
        short[] samples = {0, 1, -1, 0x1234, Short.MIN_VALUE, Short.MAX_VALUE};
        byte[] bytes = Pcm.toBytesLE(samples);
        assertThat(bytes).startsWith(0, 0, 1, 0, -1, -1, 0x34, 0x12);
        assertThat(Pcm.fromBytesLE(bytes)).isEqualTo(samples);
        assertThat(Pcm.fromBytesLE(bytes, 2, 5)).containsExactly((short) 1, (short) -1);
        assertThat(bytes).isEqualTo(new AudioFrame(samples, 8000).toPcmBytes());
    }

    @Test
    void gainAndMixSaturate() {
        short[] loud = {20000, -20000, 100};
        assertThat(Pcm.gain(loud, 6.0206)).containsExactly(Short.MAX_VALUE, Short.MIN_VALUE, (short) 200);
        assertThat(Pcm.gain(loud, -6.0206)).containsExactly((short) 10000, (short) -10000, (short) 50);
        assertThat(Pcm.mix(loud, new short[] {20000, -20000})).containsExactly(Short.MAX_VALUE, Short.MIN_VALUE, (short) 100);
        assertThat(Pcm.saturate(40000)).isEqualTo(Short.MAX_VALUE);
    }

    @Test
    void levelOfAFullScaleSquareIsZeroDbfs() {
        short[] square = new short[100];
        for (int i = 0; i < square.length; i++) {
            square[i] = (short) (i % 2 == 0 ? 32767 : -32768);
        }
        assertThat(Pcm.levelDbfs(square, 0, 100)).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Pcm.levelDbfs(new short[10], 0, 10)).isEqualTo(-120);
        assertThat(Pcm.levelDbfs(square, 0, 0)).isEqualTo(-120);
    }
}
