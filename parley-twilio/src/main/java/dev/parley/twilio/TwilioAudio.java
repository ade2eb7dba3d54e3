package dev.parley.twilio;

import dev.parley.audio.AudioFrame;
import dev.parley.audio.G711;
import dev.parley.audio.Resampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Audio mapping between Twilio (G.711 μ-law, 8 kHz, mono) and Parley's PCM16 {@link AudioFrame}s.
 * Inbound: one {@code media} payload → one 8 kHz frame. Outbound: an {@link Encoder} turns PCM frames
 * of any rate into 20 ms μ-law payloads of exactly {@value #FRAME_BYTES} bytes. Companding is core's
 * {@link G711}; rate conversion is core's streaming {@link Resampler}.
 */
public final class TwilioAudio {
    /** Twilio's only sample rate. */
    public static final int SAMPLE_RATE = 8000;
    /** Bytes (= samples) in one 20 ms μ-law frame. */
    public static final int FRAME_BYTES = 160;
    /** Duration of one outbound payload. */
    public static final Duration FRAME = Duration.ofMillis(20);
    /** μ-law digital silence. */
    public static final byte MULAW_SILENCE = (byte) 0xFF;

    private TwilioAudio() {}

    /** Decodes a μ-law payload (any length) to an 8 kHz PCM16 frame. */
    public static AudioFrame toFrame(byte[] mulaw) {
        return new AudioFrame(G711.decodeMuLaw(mulaw), SAMPLE_RATE);
    }

    /** Decodes the audio of an inbound {@code media} message. */
    public static AudioFrame toFrame(TwilioMessage.Media media) {
        return toFrame(media.payload());
    }

    /** Encodes an 8 kHz frame to μ-law bytes, sample for sample (no resampling, no framing). */
    public static byte[] toMulaw(AudioFrame frame) {
        if (frame.sampleRate() != SAMPLE_RATE) {
            throw new IllegalArgumentException("expected 8000 Hz, got " + frame.sampleRate() + "; use an Encoder");
        }
        return G711.encodeMuLaw(frame.samples());
    }

    /** A new outbound encoder (one per call; not thread-safe). */
    public static Encoder encoder() {
        return new Encoder();
    }

    /**
     * Outbound audio: PCM16 frames at any rate in, 160-byte μ-law payloads out. Keeps a partial frame and
     * the resampler's history between writes; the rate may change between frames (the old rate's tail is
     * flushed first). Rates whose ratio to 8 kHz core's {@link Resampler} cannot handle (reduced ratio finer
     * than 1/1024) are refused with {@link IllegalArgumentException}; all usual rates work. Audio from a
     * resampled rate comes out delayed by {@link Resampler#latency()} (about 3 ms) and {@link #flush} adds the
     * matching tail. Not thread-safe: one per call, used by the audio pump.
     */
    public static final class Encoder {
        private final byte[] pending = new byte[FRAME_BYTES];
        private int pendingLen;
        private @org.jspecify.annotations.Nullable Resampler resampler;

        private Encoder() {}

        /** Adds a frame; returns the complete 20 ms payloads now available (possibly none). */
        public List<byte[]> write(AudioFrame frame) {
            List<byte[]> out = new ArrayList<>();
            short[] pcm;
            if (frame.sampleRate() == SAMPLE_RATE) {
                if (resampler != null) {
                    append(resampler.flush(), out);
                    resampler = null;
                }
                pcm = frame.samples();
            } else {
                if (resampler == null || resampler.inputRate() != frame.sampleRate()) {
                    if (resampler != null) {
                        append(resampler.flush(), out);
                    }
                    resampler = Resampler.create(frame.sampleRate(), SAMPLE_RATE);
                }
                pcm = resampler.process(frame.samples());
            }
            append(pcm, out);
            return out;
        }

        /**
         * Ends an utterance (e.g. before a mark): emits the resampler's tail and the last partial frame padded
         * with μ-law silence to 160 bytes. Returns the payloads; empty when nothing was pending.
         */
        public List<byte[]> flush() {
            List<byte[]> out = new ArrayList<>();
            if (resampler != null) {
                append(resampler.flush(), out);
            }
            if (pendingLen > 0) {
                Arrays.fill(pending, pendingLen, FRAME_BYTES, MULAW_SILENCE);
                out.add(pending.clone());
                pendingLen = 0;
            }
            return out;
        }

        /** Drops the partial frame and resampler history (barge-in / {@code clear}). */
        public void reset() {
            pendingLen = 0;
            if (resampler != null) {
                resampler.reset();
            }
        }

        /** Samples held back (partial frame), as a duration at 8 kHz; the resampler's short lookahead is not counted. */
        public Duration pending() {
            return Duration.ofNanos(pendingLen * 1_000_000_000L / SAMPLE_RATE);
        }

        private void append(short[] pcm, List<byte[]> out) {
            int i = 0;
            while (i < pcm.length) {
                int n = Math.min(FRAME_BYTES - pendingLen, pcm.length - i);
                for (int k = 0; k < n; k++) {
                    pending[pendingLen + k] = G711.encodeMuLaw(pcm[i + k]);
                }
                pendingLen += n;
                i += n;
                if (pendingLen == FRAME_BYTES) {
                    out.add(pending.clone());
                    pendingLen = 0;
                }
            }
        }

        /** Convenience for a whole utterance: every payload for {@code frame} including the flushed tail. */
        public List<byte[]> writeAndFlush(AudioFrame frame) {
            List<byte[]> out = new ArrayList<>(write(frame));
            out.addAll(flush());
            return out;
        }
    }
}
