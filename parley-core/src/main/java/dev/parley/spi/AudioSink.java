package dev.parley.spi;

/**
 * Where the agent's voice goes. {@code write} must not block for playback time: audio is queued by
 * the far end (Twilio buffers it) and played in real time. {@code mark} asks for a
 * {@link TransportEvent.MarkPlayed} once everything written before it has been played;
 * {@code clear} drops what has not been played yet (and the far end then reports the pending
 * marks as played, as Twilio does).
 */
public interface AudioSink {
    /** The PCM16 rate {@link #write} expects. */
    int sampleRate();

    void write(dev.parley.audio.AudioFrame frame);

    void mark(String name);

    void clear();
}
