package dev.parley.deepgram;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Deepgram failure: a refused handshake (bad key, bad parameters, over the concurrency limit),
 * a stream closed with an error code ({@code NET-0001}, {@code DATA-0000}, …), a lost or stalled
 * connection, or a malformed message. {@link #retryable()} says whether opening a new stream may
 * succeed; {@link #retryAfter()} carries the server's {@code Retry-After} when it sent one.
 */
public final class DeepgramException extends ParleyException {
    private final @Nullable Duration retryAfter;

    public DeepgramException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, null, cause);
    }

    public DeepgramException(String message, boolean retryable, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, retryable, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait before retrying (HTTP {@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
