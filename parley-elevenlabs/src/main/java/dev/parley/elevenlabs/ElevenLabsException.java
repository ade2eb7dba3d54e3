package dev.parley.elevenlabs;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An ElevenLabs failure: a refused upgrade (bad key, over the concurrency limit), an error
 * message or a 1008 close (bad input, inactivity), a lost connection, a malformed message, or a stall.
 * {@link #retryable()} says whether a new stream may succeed; {@link #retryAfter()} carries the
 * server's {@code Retry-After} when it sent one.
 */
public final class ElevenLabsException extends ParleyException {
    private final @Nullable Duration retryAfter;

    public ElevenLabsException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, null, cause);
    }

    public ElevenLabsException(String message, boolean retryable, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, retryable, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait (HTTP {@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
