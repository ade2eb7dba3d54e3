package dev.parley.spi;

import dev.parley.audio.AudioFormat;

/**
 * A caller's connection: inbound media, DTMF, playback marks and hang-up as a pull stream of
 * {@link TransportEvent}s, and an {@link AudioSink} for the agent's voice.
 */
public interface CallTransport extends PullStream<TransportEvent> {
    CallInfo info();

    /** The PCM16 format of inbound {@link TransportEvent.Media} frames (already decoded). */
    AudioFormat inboundFormat();

    AudioSink sink();

    /** Hands the caller to a human; returns false when this transport cannot transfer. */
    default boolean transfer(String reason) {
        return false;
    }

    /** Ends the call from the agent's side. */
    void hangUp();
}
