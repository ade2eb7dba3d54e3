package dev.parley.testkit;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Text as audio, for {@link FakeTts}: each character is a slot of whole 20 ms frames; whitespace is
 * silence, printable ASCII {@code c} is a tone at {@code 300 + 30 * (c - 33)} Hz (300..3090 Hz, so
 * it survives 8 kHz), anything else is encoded as '?'. Decoding classifies each 20 ms window by
 * Goertzel power and turns runs of equal windows into characters, so a slot counts once at least
 * half of it is present.
 */
final class ToneCodec {
    private static final char FIRST = 33;
    private static final char LAST = 126;
    private static final double BASE_HZ = 300;
    private static final double STEP_HZ = 30;
    private static final double SILENCE_DBFS = -50;

    private ToneCodec() {}

    static int windowSamples(int sampleRate) {
        return AudioFormat.pcm16(sampleRate).samplesFor(TestAudio.FRAME);
    }

    static int framesPerChar(Duration charDuration) {
        long frameNanos = TestAudio.FRAME.toNanos();
        long n = charDuration.toNanos() / frameNanos;
        if (n < 1 || n * frameNanos != charDuration.toNanos()) {
            throw new IllegalArgumentException("character duration must be a multiple of 20 ms: " + charDuration);
        }
        return (int) n;
    }

    static short[] encode(String text, int sampleRate, int framesPerChar, double dbfs) {
        int slot = framesPerChar * windowSamples(sampleRate);
        short[] out = new short[text.length() * slot];
        double amplitude = Math.pow(10, dbfs / 20) * Math.sqrt(2) * 32767;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            double w = 2 * Math.PI * frequency(c) / sampleRate;
            for (int s = 0; s < slot; s++) {
                out[i * slot + s] = (short) Math.round(amplitude * Math.sin(w * s));
            }
        }
        return out;
    }

    static double frequency(char c) {
        char k = c >= FIRST && c <= LAST ? c : '?';
        return BASE_HZ + STEP_HZ * (k - FIRST);
    }

    static String decode(List<AudioFrame> frames, int framesPerChar) {
        var symbols = new ArrayList<Character>();
        for (AudioFrame f : frames) {
            int window = windowSamples(f.sampleRate());
            short[] s = f.samples();
            for (int at = 0; at < s.length; at += window) {
                int len = Math.min(window, s.length - at);
                if (len * 2 < window) {
                    continue;
                }
                symbols.add(classify(s, at, len, f.sampleRate()));
            }
        }
        var sb = new StringBuilder();
        int i = 0;
        while (i < symbols.size()) {
            int j = i;
            while (j < symbols.size() && symbols.get(j).equals(symbols.get(i))) {
                j++;
            }
            long count = Math.round((j - i) / (double) framesPerChar);
            for (long k = 0; k < count; k++) {
                sb.append(symbols.get(i).charValue());
            }
            i = j;
        }
        return sb.toString();
    }

    private static char classify(short[] s, int from, int len, int rate) {
        double energy = 0;
        for (int i = from; i < from + len; i++) {
            energy += (double) s[i] * s[i];
        }
        double rms = Math.sqrt(energy / len) / 32768;
        if (rms <= 0 || 20 * Math.log10(rms) < SILENCE_DBFS) {
            return ' ';
        }
        char best = '?';
        double bestPower = -1;
        for (char c = FIRST; c <= LAST; c++) {
            double p = goertzel(s, from, len, frequency(c), rate);
            if (p > bestPower) {
                bestPower = p;
                best = c;
            }
        }
        return best;
    }

    private static double goertzel(short[] s, int from, int len, double hz, int rate) {
        double w = 2 * Math.PI * hz / rate;
        double coeff = 2 * Math.cos(w);
        double q1 = 0;
        double q2 = 0;
        for (int i = from; i < from + len; i++) {
            double q0 = coeff * q1 - q2 + s[i];
            q2 = q1;
            q1 = q0;
        }
        return q1 * q1 + q2 * q2 - coeff * q1 * q2;
    }
}
