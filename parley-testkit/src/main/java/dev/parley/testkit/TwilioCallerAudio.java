package dev.parley.testkit;

import dev.parley.audio.G711;
import dev.parley.audio.Pcm;
import dev.parley.audio.Resampler;
import java.util.Arrays;
import java.util.List;

/**
 * Caller audio ready for the wire: 20 ms frames of 8 kHz μ-law, each flagged voiced or not by the
 * level of its decoded samples (what the server will hear, not what the file held).
 */
record TwilioCallerAudio(List<byte[]> frames, boolean[] voiced) {
    static final int FRAME_SAMPLES = 160;
    static final byte SILENCE = (byte) 0xFF;

    int length() {
        return frames.size();
    }

    int firstVoiced() {
        for (int i = 0; i < voiced.length; i++) {
            if (voiced[i]) {
                return i;
            }
        }
        return -1;
    }

    int lastVoiced() {
        for (int i = voiced.length - 1; i >= 0; i--) {
            if (voiced[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Resamples to 8 kHz (compensating the filter delay), encodes μ-law, cuts 20 ms frames. */
    static TwilioCallerAudio of(short[] pcm, int sampleRate, double voicedDbfs) {
        if (pcm.length == 0) {
            throw new IllegalArgumentException("a caller turn needs at least one sample");
        }
        short[] at8k = pcm;
        if (sampleRate != 8000) {
            Resampler resampler = Resampler.create(sampleRate, 8000);
            short[] body = resampler.process(pcm);
            int delay = (int) Math.round(resampler.latency().toNanos() * 8000 / 1e9);
            short[] tail = resampler.flush();
            short[] joined = Arrays.copyOf(body, body.length + tail.length);
            System.arraycopy(tail, 0, joined, body.length, tail.length);
            int wanted = (int) Math.ceil(pcm.length * 8000.0 / sampleRate);
            int from = Math.min(delay, joined.length);
            at8k = Arrays.copyOfRange(joined, from, Math.min(joined.length, from + wanted));
        }
        byte[] mulaw = G711.encodeMuLaw(at8k);
        int count = (mulaw.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
        byte[][] frames = new byte[count][];
        boolean[] voiced = new boolean[count];
        for (int i = 0; i < count; i++) {
            byte[] frame = new byte[FRAME_SAMPLES];
            Arrays.fill(frame, SILENCE);
            System.arraycopy(mulaw, i * FRAME_SAMPLES, frame, 0, Math.min(FRAME_SAMPLES, mulaw.length - i * FRAME_SAMPLES));
            frames[i] = frame;
            voiced[i] = isVoiced(frame, voicedDbfs);
        }
        return new TwilioCallerAudio(List.of(frames), voiced);
    }

    static boolean isVoiced(byte[] mulaw, double voicedDbfs) {
        short[] pcm = G711.decodeMuLaw(mulaw);
        return Pcm.levelDbfs(pcm, 0, pcm.length) > voicedDbfs;
    }
}
