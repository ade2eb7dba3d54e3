package dev.parley.provider;

import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Cuts PCM16 little-endian bytes arriving in any chunk size into frames of a fixed duration. Not thread-safe. */
public final class AudioReframer {
    private final int sampleRate;
    private final byte[] buffer;
    private int filled;
    private long samples;

    public AudioReframer(int sampleRate, Duration frame) {
        this.sampleRate = sampleRate;
        int n = (int) Math.max(1, frame.toNanos() * sampleRate / 1_000_000_000L);
        this.buffer = new byte[n * 2];
    }

    /** Adds bytes; returns the whole frames now available. */
    public List<AudioFrame> add(byte[] bytes) {
        List<AudioFrame> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(buffer.length - filled, bytes.length - at);
            System.arraycopy(bytes, at, buffer, filled, n);
            filled += n;
            at += n;
            if (filled == buffer.length) {
                out.add(frame(buffer.length));
                filled = 0;
            }
        }
        return out;
    }

    /** The rest as one shorter frame (a dangling odd byte is dropped). */
    public Optional<AudioFrame> drain() {
        int whole = filled & ~1;
        filled = 0;
        return whole == 0 ? Optional.empty() : Optional.of(frame(whole));
    }

    /** Audio delivered so far (whole frames and drained remainders). */
    public Duration delivered() {
        return Duration.ofNanos(samples * 1_000_000_000L / sampleRate);
    }

    public void reset() {
        filled = 0;
    }

    private AudioFrame frame(int length) {
        samples += length / 2;
        return AudioFrame.fromPcmBytes(buffer, 0, length, sampleRate);
    }
}
