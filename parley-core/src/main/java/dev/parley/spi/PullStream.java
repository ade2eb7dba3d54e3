package dev.parley.spi;

import java.util.Optional;

/**
 * A blocking pull stream: {@link #next()} blocks until an item, the end (empty) or a failure
 * ({@link dev.parley.ParleyException}). {@link #close()} is idempotent, may be called from any
 * thread, and makes a pending {@code next()} return empty promptly.
 */
public interface PullStream<T> extends AutoCloseable {
    /** The next item, or empty at end of stream or after close. */
    Optional<T> next();

    /** Releases the stream; idempotent; unblocks a pending {@link #next()}. */
    @Override
    void close();
}
