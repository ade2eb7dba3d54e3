package dev.parley.spi;

/**
 * A synthesis stream that accepts text incrementally. Text sent between two flushes is one
 * utterance piece; after {@link #flush()} the stream delivers that piece's audio and then a
 * {@link TtsEvent.Flushed}. {@link #close()} cancels: audio still arriving is discarded.
 */
public interface TtsStream extends PullStream<TtsEvent> {
    void send(String text);

    /** Synthesise everything sent so far; a {@link TtsEvent.Flushed} follows its audio. */
    void flush();

    /** No more text: remaining audio is delivered, then the stream ends. */
    void finish();
}
