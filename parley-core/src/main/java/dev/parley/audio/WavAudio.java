package dev.parley.audio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoded audio of a WAV file: PCM16 samples, interleaved when there are several channels
 * ({@code L R L R ...} for stereo). The array is owned by the value: do not change it.
 *
 * @param sampleRate frames per second
 * @param channels   channels per frame, at least 1
 * @param samples    {@code frames × channels} interleaved samples
 */
public record WavAudio(int sampleRate, int channels, short[] samples) {
    public WavAudio {
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
        if (channels < 1 || channels > 16) {
            throw new IllegalArgumentException("unsupported channel count " + channels);
        }
        if (samples.length % channels != 0) {
            throw new IllegalArgumentException(samples.length + " samples do not make whole " + channels + "-channel frames");
        }
    }

    /** Mono audio from a frame. */
    public static WavAudio of(AudioFrame frame) {
        return new WavAudio(frame.sampleRate(), 1, frame.samples());
    }

    /** Mono audio from samples at a rate. */
    public static WavAudio mono(short[] samples, int sampleRate) {
        return new WavAudio(sampleRate, 1, samples);
    }

    /** Stereo audio from two equally long channels. */
    public static WavAudio stereo(short[] left, short[] right, int sampleRate) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("channels differ in length: " + left.length + " and " + right.length);
        }
        short[] interleaved = new short[left.length * 2];
        for (int i = 0; i < left.length; i++) {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
        }
        return new WavAudio(sampleRate, 2, interleaved);
    }

    /** Number of sample frames (samples per channel). */
    public int frames() {
        return samples.length / channels;
    }

    public Duration duration() {
        return Duration.ofNanos(frames() * 1_000_000_000L / sampleRate);
    }

    /** The samples of one channel (0-based). */
    public short[] channel(int index) {
        if (index < 0 || index >= channels) {
            throw new IndexOutOfBoundsException("channel " + index + " of " + channels);
        }
        short[] out = new short[frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples[i * channels + index];
        }
        return out;
    }

    /** Mono downmix: the rounded mean of the channels of each frame (a copy even when already mono). */
    public short[] mono() {
        if (channels == 1) {
            return samples.clone();
        }
        short[] out = new short[frames()];
        for (int i = 0; i < out.length; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += samples[i * channels + c];
            }
            out[i] = (short) Math.floorDiv(2 * sum + channels, 2 * channels);
        }
        return out;
    }

    /** The mono downmix as one frame. */
    public AudioFrame toFrame() {
        return new AudioFrame(mono(), sampleRate);
    }

    /**
     * The mono downmix cut into consecutive frames of {@code frame} duration; the last frame holds
     * what remains and may be shorter.
     */
    public List<AudioFrame> toFrames(Duration frame) {
        int size = AudioFormat.pcm16(sampleRate).samplesFor(frame);
        if (size < 1) {
            throw new IllegalArgumentException("frame duration " + frame + " is less than one sample");
        }
        short[] mono = mono();
        List<AudioFrame> frames = new ArrayList<>(mono.length / size + 1);
        for (int start = 0; start < mono.length; start += size) {
            frames.add(new AudioFrame(Arrays.copyOfRange(mono, start, Math.min(mono.length, start + size)), sampleRate));
        }
        return frames;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WavAudio w
                && w.sampleRate == sampleRate
                && w.channels == channels
                && Arrays.equals(w.samples, samples);
    }

    @Override
    public int hashCode() {
        return (31 * sampleRate + channels) * 31 + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "WavAudio[" + sampleRate + " Hz, " + channels + " ch, " + frames() + " frames]";
    }
}
