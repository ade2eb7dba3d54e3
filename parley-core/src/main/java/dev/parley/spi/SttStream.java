package dev.parley.spi;

import dev.parley.audio.AudioFrame;

/**
 * A live recognition stream: audio in through {@link #send}, results out through {@link #next()}.
 * Implementations must accept {@code send} from one thread while another blocks in {@code next}.
 */
public interface SttStream extends PullStream<SttEvent> {
    /** Feeds caller audio (PCM16 at the rate of the request). Never blocks for long. */
    void send(AudioFrame frame);

    /** Asks for a final result of what was heard so far (end of turn), without ending the stream. */
    void finalizeTurn();

    /** No more audio will come: pending results are delivered, then the stream ends. */
    void finish();
}
