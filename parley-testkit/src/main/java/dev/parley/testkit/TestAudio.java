package dev.parley.testkit;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic audio for tests, as lists of 20 ms frames. "Voiced" audio is a vowel-like harmonic
 * signal at -20 dBFS (every fake detector here calls anything above -40 dBFS speech); it is not
 * real speech, so neural VADs (Silero) may not fire on it: use recorded speech for those.
 */
public final class TestAudio {
    /** The frame length every helper here produces. */
    public static final Duration FRAME = Duration.ofMillis(20);
    /** Level of {@link #voiced} audio. */
    public static final double VOICED_DBFS = -20;
    /** The level above which the fakes call a frame speech. */
    public static final double SPEECH_THRESHOLD_DBFS = -40;

    private TestAudio() {}

    /** Vowel-like audio (120 Hz harmonics shaped by two formants) at -20 dBFS, in 20 ms frames. */
    public static List<AudioFrame> voiced(Duration duration, int sampleRate) {
        int n = AudioFormat.pcm16(sampleRate).samplesFor(duration);
        double[] x = new double[n];
        double f0 = 120;
        for (int h = 1; f0 * h < Math.min(3400, sampleRate / 2.0 - 100); h++) {
            double f = f0 * h;
            double gain = formant(f, 700, 130) + 0.6 * formant(f, 1200, 150) + 0.05;
            double w = 2 * Math.PI * f / sampleRate;
            for (int i = 0; i < n; i++) {
                x[i] += gain * Math.sin(w * i + h);
            }
        }
        return frames(normalise(x, VOICED_DBFS), sampleRate);
    }

    private static double formant(double f, double centre, double width) {
        double d = (f - centre) / width;
        return 1 / (1 + d * d);
    }

    /** A pure tone at the given level (dBFS RMS), in 20 ms frames. */
    public static List<AudioFrame> tone(Duration duration, int sampleRate, double hz, double dbfs) {
        int n = AudioFormat.pcm16(sampleRate).samplesFor(duration);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(2 * Math.PI * hz * i / sampleRate);
        }
        return frames(normalise(x, dbfs), sampleRate);
    }

    /** Digital silence in 20 ms frames. */
    public static List<AudioFrame> silence(Duration duration, int sampleRate) {
        return frames(new short[AudioFormat.pcm16(sampleRate).samplesFor(duration)], sampleRate);
    }

    /** {@code speech} of voiced audio followed by {@code trailingSilence} of silence. */
    public static List<AudioFrame> utterance(Duration speech, Duration trailingSilence, int sampleRate) {
        var out = new ArrayList<>(voiced(speech, sampleRate));
        out.addAll(silence(trailingSilence, sampleRate));
        return out;
    }

    /** Whether the fakes would call this frame speech (level above -40 dBFS). */
    public static boolean isVoiced(AudioFrame frame) {
        return frame.levelDbfs() > SPEECH_THRESHOLD_DBFS;
    }

    /** Total duration of the frames. */
    public static Duration duration(List<AudioFrame> frames) {
        Duration d = Duration.ZERO;
        for (AudioFrame f : frames) {
            d = d.plus(f.duration());
        }
        return d;
    }

    /** Concatenates the samples of frames (all at one rate) into one frame. */
    public static AudioFrame join(List<AudioFrame> frames, int sampleRate) {
        int n = 0;
        for (AudioFrame f : frames) {
            n += f.length();
        }
        short[] out = new short[n];
        int at = 0;
        for (AudioFrame f : frames) {
            if (f.sampleRate() != sampleRate) {
                throw new IllegalArgumentException("frame at " + f.sampleRate() + " Hz, expected " + sampleRate);
            }
            System.arraycopy(f.samples(), 0, out, at, f.length());
            at += f.length();
        }
        return new AudioFrame(out, sampleRate);
    }

    /** Splits samples into 20 ms frames (the last may be shorter). */
    public static List<AudioFrame> frames(short[] samples, int sampleRate) {
        int per = AudioFormat.pcm16(sampleRate).samplesFor(FRAME);
        var out = new ArrayList<AudioFrame>(samples.length / per + 1);
        for (int i = 0; i < samples.length; i += per) {
            int len = Math.min(per, samples.length - i);
            short[] s = new short[len];
            System.arraycopy(samples, i, s, 0, len);
            out.add(new AudioFrame(s, sampleRate));
        }
        return out;
    }

    private static short[] normalise(double[] x, double dbfs) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        double rms = x.length == 0 ? 0 : Math.sqrt(sum / x.length);
        double target = Math.pow(10, dbfs / 20) * 32767;
        double g = rms == 0 ? 0 : target / rms;
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i] * g)));
        }
        return out;
    }
}
