package dev.parley.deepgram.internal;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.audio.G711;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns audio bytes in arbitrary chunks (as a server sends them) into PCM16 frames of a fixed
 * duration; {@link #drain()} returns the rest as a shorter frame. Not thread-safe.
 */
public final class AudioReframer {
    private final AudioFormat wire;
    private final byte[] buffer;
    private int filled;

    /** Frames of {@code frame} from bytes in {@code wire} format (linear16 little-endian, μ-law or A-law). */
    public AudioReframer(AudioFormat wire, Duration frame) {
        this.wire = wire;
        int samples = Math.max(1, wire.samplesFor(frame));
        this.buffer = new byte[samples * wire.bytesPerSample()];
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
                out.add(decode(buffer.length));
                filled = 0;
            }
        }
        return out;
    }

    /** The buffered remainder as one shorter frame (a dangling half sample is dropped). */
    public Optional<AudioFrame> drain() {
        int whole = filled - filled % wire.bytesPerSample();
        filled = 0;
        return whole == 0 ? Optional.empty() : Optional.of(decode(whole));
    }

    /** Drops buffered bytes. */
    public void reset() {
        filled = 0;
    }

    private AudioFrame decode(int length) {
        return wire.encoding() == AudioFormat.Encoding.PCM16
                ? AudioFrame.fromPcmBytes(buffer, 0, length, wire.sampleRate())
                : G711.decodeFrame(buffer, 0, length, wire.encoding(), wire.sampleRate());
    }
}
