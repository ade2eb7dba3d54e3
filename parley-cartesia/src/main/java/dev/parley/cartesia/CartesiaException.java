package dev.parley.cartesia;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Cartesia failure: a refused upgrade (bad key, over the concurrency limit), an {@code error}
 * message for a context, a lost connection, a malformed message, or a stall past a deadline.
 * {@link #retryable()} says whether a new stream may succeed; {@link #retryAfter()} carries the
 * server's {@code Retry-After} when it sent one.
 */
public final class CartesiaException extends ParleyException {
    private final @Nullable Duration retryAfter;

    public CartesiaException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, null, cause);
    }

    public CartesiaException(String message, boolean retryable, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, retryable, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait (HTTP {@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
