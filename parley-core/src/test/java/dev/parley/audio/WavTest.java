package dev.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    // ---- building WAV files by hand ----

    private static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return b.array();
    }

    private static byte[] fmt(int code, int channels, int rate, int bits) {
        int blockAlign = channels * bits / 8;
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) code)
                .putShort((short) channels).putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign)
                .putShort((short) bits).array();
    }

    private static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) {
            body.writeBytes(c);
        }
        return chunk("RIFF", body.toByteArray());
    }

    private static short[] ramp(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (i * 997 - 30000);
        }
        return s;
    }

    // ---- tests ----

    @Test
    void monoRoundTripThroughAFile(@TempDir Path dir) throws Exception {
        WavAudio audio = WavAudio.mono(ramp(8001), 8000);
        Path file = dir.resolve("mono.wav");
        Wav.write(file, audio);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(44 + 2 * 8001);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(36 + 2 * 8001);
        WavAudio back = Wav.read(file);
        assertThat(back).isEqualTo(audio);
        assertThat(back.duration()).isEqualTo(Duration.ofNanos(1_000_125_000));
    }

    @Test
    void stereoRoundTripThroughAStream() {
        short[] left = ramp(1000);
        short[] right = Pcm.gain(left, -6);
        WavAudio audio = WavAudio.stereo(left, right, 48000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.write(out, audio);
        WavAudio back = Wav.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.channels()).isEqualTo(2);
        assertThat(back.sampleRate()).isEqualTo(48000);
        assertThat(back.frames()).isEqualTo(1000);
        assertThat(back.channel(0)).isEqualTo(left);
        assertThat(back.channel(1)).isEqualTo(right);
        short[] mono = back.mono();
        for (int i = 0; i < mono.length; i++) {
            assertThat(Math.abs(mono[i] - (left[i] + right[i]) / 2.0)).isLessThanOrEqualTo(0.5);
        }
        assertThat(Wav.toBytes(audio)).isEqualTo(out.toByteArray());
    }

    @Test
    void skipsUnknownAndOddSizedChunks() {
        short[] samples = ramp(11);
        byte[] file = riff(
                chunk("LIST", "INFOISFT\u0005\0\0\0test\0".getBytes(StandardCharsets.ISO_8859_1)),
                chunk("fmt ", fmt(1, 1, 16000, 16)),
                chunk("junk", new byte[] {1, 2, 3}), // odd size: followed by a pad byte
                chunk("fact", new byte[] {11, 0, 0, 0}),
                chunk("data", Pcm.toBytesLE(samples)),
                chunk("LIST", new byte[] {9, 9, 9, 9}));
        WavAudio audio = Wav.read(file);
        assertThat(audio.sampleRate()).isEqualTo(16000);
        assertThat(audio.samples()).isEqualTo(samples);
    }

    @Test
    void readsEightBitAndCompandedFormats() {
        byte[] unsigned = {(byte) 0, (byte) 128, (byte) 255, (byte) 64};
        WavAudio pcm8 = Wav.read(riff(chunk("fmt ", fmt(1, 1, 8000, 8)), chunk("data", unsigned)));
        assertThat(pcm8.samples()).containsExactly((short) -32768, (short) 0, (short) 32512, (short) -16384);

        short[] speech = ramp(160);
        byte[] mu = G711.encodeMuLaw(speech);
        WavAudio mulaw = Wav.read(riff(chunk("fmt ", fmt(7, 1, 8000, 8)), chunk("data", mu)));
        assertThat(mulaw.samples()).isEqualTo(G711.decodeMuLaw(mu));

        byte[] a = G711.encodeALaw(speech);
        WavAudio alaw = Wav.read(riff(chunk("fmt ", fmt(6, 2, 8000, 8)), chunk("data", a)));
        assertThat(alaw.channels()).isEqualTo(2);
        assertThat(alaw.samples()).isEqualTo(G711.decodeALaw(a));
    }

    @Test
    void readsWaveFormatExtensible() {
        ByteBuffer f = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        f.put(fmt(0xFFFE, 1, 24000, 16)).putShort((short) 22).putShort((short) 16).putInt(4);
        f.putShort((short) 1).put(new byte[14]); // KSDATAFORMAT_SUBTYPE_PCM begins with 0x0001
        short[] samples = ramp(50);
        WavAudio audio = Wav.read(riff(chunk("fmt ", f.array()), chunk("data", Pcm.toBytesLE(samples))));
        assertThat(audio.sampleRate()).isEqualTo(24000);
        assertThat(audio.samples()).isEqualTo(samples);
    }

    @Test
    void unknownDataSizeMeansToTheEnd() {
        short[] samples = ramp(20);
        byte[] file = riff(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", Pcm.toBytesLE(samples)));
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1).putInt(12 + 24 + 4, -1);
        assertThat(Wav.read(file).samples()).isEqualTo(samples);
    }

    @Test
    void malformedFilesFailWithAClearMessage(@TempDir Path dir) {
        byte[] good = Wav.toBytes(WavAudio.mono(ramp(100), 8000));
        assertMalformed(new byte[0], "shorter than a RIFF header");
        assertMalformed("RIFX\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII), "not a RIFF WAVE");
        assertMalformed(Arrays.copyOf(good, 44 + 50), "truncated");
        assertMalformed(Arrays.copyOf(good, 30), "truncated");
        assertMalformed(riff(chunk("data", new byte[4]), chunk("fmt ", fmt(1, 1, 8000, 16))), "before the fmt");
        assertMalformed(riff(chunk("fmt ", fmt(1, 1, 8000, 16))), "no data chunk");
        assertMalformed(riff(chunk("LIST", new byte[6])), "no fmt chunk");
        assertMalformed(riff(chunk("fmt ", fmt(3, 1, 8000, 32)), chunk("data", new byte[8])), "format code 3");
        assertMalformed(riff(chunk("fmt ", fmt(1, 1, 8000, 24)), chunk("data", new byte[6])), "24 bits");
        assertMalformed(riff(chunk("fmt ", fmt(1, 0, 8000, 16)), chunk("data", new byte[6])), "channel count 0");
        assertMalformed(riff(chunk("fmt ", fmt(1, 1, 100, 16)), chunk("data", new byte[6])), "sample rate 100");
        assertMalformed(riff(chunk("fmt ", new byte[10]), chunk("data", new byte[6])), "fmt chunk is 10 bytes");
        assertMalformed(riff(chunk("fmt ", fmt(1, 2, 8000, 16)), chunk("data", new byte[6])), "whole number");
        assertThatThrownBy(() -> Wav.read(dir.resolve("missing.wav")))
                .isInstanceOf(ParleyException.class)
                .hasMessageContaining("missing.wav");
    }

    private static void assertMalformed(byte[] file, String message) {
        assertThatThrownBy(() -> Wav.read(file))
                .isInstanceOf(ParleyException.class)
                .hasMessageContaining("malformed WAV")
                .hasMessageContaining(message);
    }

    @Test
    void cutsIntoFrames() {
        WavAudio audio = WavAudio.stereo(ramp(8000 + 50), ramp(8000 + 50), 8000);
        List<AudioFrame> frames = audio.toFrames(Duration.ofMillis(20));
        assertThat(frames).hasSize(51);
        assertThat(frames.get(0).length()).isEqualTo(160);
        assertThat(frames.get(50).length()).isEqualTo(50);
        assertThat(frames.get(1).samples()[0]).isEqualTo(audio.channel(0)[160]);
        assertThat(frames.get(0).sampleRate()).isEqualTo(8000);
        assertThat(WavAudio.of(frames.get(0)).frames()).isEqualTo(160);
        assertThatThrownBy(() -> new WavAudio(8000, 2, new short[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
