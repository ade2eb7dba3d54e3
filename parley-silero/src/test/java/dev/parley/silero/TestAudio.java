package dev.parley.silero;

import dev.parley.audio.AudioFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Test audio. The fixtures were made once with
 * {@code espeak-ng -v en-us -w raw.wav "I would like two large pepperoni pizzas"} (2.48 s at
 * 22050 Hz) and {@code sox raw.wav -r 16000 -c 1 -b 16 -e signed-integer pizza-16k.wav pad 1.0 1.0}
 * (and {@code -r 8000} for pizza-8k.wav): 4.48 s, one second of digital silence each side.
 */
final class TestAudio {
    private TestAudio() {}

    /** The 16 kHz or 8 kHz pizza sentence fixture. */
    static AudioFrame pizza(int sampleRate) {
        return wav("pizza-" + sampleRate / 1000 + "k.wav");
    }

    /** Reads a 16-bit mono PCM WAV resource next to this class. */
    static AudioFrame wav(String resource) {
        byte[] bytes;
        try (InputStream in = TestAudio.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
            throw new IllegalStateException(resource + " is not a WAV file");
        }
        int rate = 0;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                if (b.getShort(pos + 8) != 1 || b.getShort(pos + 10) != 1 || b.getShort(pos + 22) != 16) {
                    throw new IllegalStateException(resource + " is not 16-bit mono PCM");
                }
                rate = b.getInt(pos + 12);
            } else if (id == 0x61746164) { // "data"
                return AudioFrame.fromPcmBytes(bytes, pos + 8, Math.min(size, bytes.length - pos - 8), rate);
            }
            pos += 8 + size + (size & 1);
        }
        throw new IllegalStateException(resource + " has no data chunk");
    }

    /** Seeded white noise with the given RMS level in dBFS. */
    static AudioFrame whiteNoise(double seconds, int sampleRate, double dbfs, long seed) {
        Random random = new Random(seed);
        double rms = 32768 * Math.pow(10, dbfs / 20);
        short[] s = new short[(int) (seconds * sampleRate)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.clamp(Math.round(random.nextGaussian() * rms), -32768, 32767);
        }
        return new AudioFrame(s, sampleRate);
    }

    /** Splits audio into frames of {@code frameLength} samples (the last one may be shorter). */
    static List<AudioFrame> frames(AudioFrame audio, int frameLength) {
        List<AudioFrame> out = new ArrayList<>();
        short[] s = audio.samples();
        for (int from = 0; from < s.length; from += frameLength) {
            out.add(new AudioFrame(Arrays.copyOfRange(s, from, Math.min(s.length, from + frameLength)), audio.sampleRate()));
        }
        return out;
    }

    /** Audio concatenated from several pieces at one rate. */
    static AudioFrame concat(AudioFrame... parts) {
        int length = 0;
        for (AudioFrame p : parts) {
            length += p.length();
        }
        short[] s = new short[length];
        int at = 0;
        for (AudioFrame p : parts) {
            System.arraycopy(p.samples(), 0, s, at, p.length());
            at += p.length();
        }
        return new AudioFrame(s, parts[0].sampleRate());
    }

    /** Start and end (seconds) of the non-silent part: first and last 10 ms block above -50 dBFS. */
    static double[] speechBounds(AudioFrame audio) {
        int block = audio.sampleRate() / 100;
        int first = -1;
        int last = -1;
        List<AudioFrame> blocks = frames(audio, block);
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).levelDbfs() > -50) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        return new double[] {first * 0.01, (last + 1) * 0.01};
    }
}
