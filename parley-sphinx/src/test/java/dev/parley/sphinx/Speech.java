package dev.parley.sphinx;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.NullAudioPlayer;
import dev.parley.audio.AudioFrame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sound.sampled.AudioFormat;

/** Real caller speech for tests: FreeTTS kevin16 (16 kHz), plus silence, 8 kHz conversion and framing. */
final class Speech {
    private static final Map<String, short[]> CACHE = new ConcurrentHashMap<>();
    private static Voice voice;

    private Speech() {}

    /** The sentence spoken by kevin16 at 16 kHz. */
    static synchronized short[] say(String text) {
        return CACHE.computeIfAbsent(text, Speech::synthesize).clone();
    }

    private static short[] synthesize(String text) {
        if (voice == null) {
            System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory");
            voice = VoiceManager.getInstance().getVoice("kevin16");
            voice.allocate();
        }
        var player = new Collector();
        voice.setAudioPlayer(player);
        voice.speak(text);
        return player.samples();
    }

    static short[] silence(int millis, int rate) {
        return new short[millis * rate / 1000];
    }

    static short[] concat(List<short[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** 16 kHz → 8 kHz: windowed-sinc low-pass at 3.6 kHz, then every second sample. */
    static short[] to8k(short[] in) {
        int half = 24;
        double[] h = new double[2 * half + 1];
        double sum = 0;
        for (int k = -half; k <= half; k++) {
            double fc = 3600.0 / 16000;
            double sinc = k == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * k) / (Math.PI * k);
            double w = 0.54 + 0.46 * Math.cos(Math.PI * k / half);
            h[k + half] = sinc * w;
            sum += h[k + half];
        }
        short[] out = new short[in.length / 2];
        for (int i = 0; i < out.length; i++) {
            double acc = 0;
            for (int k = -half; k <= half; k++) {
                int j = 2 * i + k;
                if (j >= 0 && j < in.length) {
                    acc += h[k + half] / sum * in[j];
                }
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc)));
        }
        return out;
    }

    /**
     * The audio with at most 100 ms after its last loud sample, shorter than the endpointer's
     * silence, so that only an explicit finalize can end the utterance.
     */
    static short[] trimTrailingSilence(short[] in) {
        int end = in.length;
        while (end > 0 && Math.abs(in[end - 1]) < 200) {
            end--;
        }
        return java.util.Arrays.copyOf(in, Math.min(in.length, end + 1600));
    }

    /** Splits audio into 20 ms frames. */
    static List<AudioFrame> frames(short[] samples, int rate) {
        int size = rate / 50;
        List<AudioFrame> out = new ArrayList<>();
        for (int i = 0; i < samples.length; i += size) {
            short[] f = new short[Math.min(size, samples.length - i)];
            System.arraycopy(samples, i, f, 0, f.length);
            out.add(new AudioFrame(f, rate));
        }
        return out;
    }

    private static final class Collector extends NullAudioPlayer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private AudioFormat format;

        @Override
        public void setAudioFormat(AudioFormat format) {
            this.format = format;
        }

        @Override
        public boolean write(byte[] audio) {
            return write(audio, 0, audio.length);
        }

        @Override
        public boolean write(byte[] audio, int offset, int length) {
            bytes.write(audio, offset, length);
            return true;
        }

        short[] samples() {
            if (format.getSampleRate() != 16000 || format.getSampleSizeInBits() != 16 || format.getChannels() != 1) {
                throw new IllegalStateException("unexpected FreeTTS format " + format);
            }
            byte[] b = bytes.toByteArray();
            short[] s = new short[b.length / 2];
            boolean big = format.isBigEndian();
            for (int i = 0; i < s.length; i++) {
                int hi = big ? b[2 * i] : b[2 * i + 1];
                int lo = big ? b[2 * i + 1] : b[2 * i];
                s[i] = (short) ((hi << 8) | (lo & 0xff));
            }
            return s;
        }
    }
}
