package dev.parley.openai;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A failure of an OpenAI-compatible server or of the connection to it. {@link #retryable()} says
 * whether the same request may succeed later; {@link #retryAfter()} is the wait the server asked for.
 */
public final class OpenAiException extends ParleyException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final @Nullable Duration retryAfter;
    private final @Nullable String errorCode;

    /**
     * @param status the HTTP status, empty for connection failures and failures inside a stream
     * @param retryAfter the delay the server asked for ({@code retry-after-ms} / {@code retry-after})
     * @param errorCode the {@code error.code} (or {@code error.type}) of the error body
     */
    public OpenAiException(String message, boolean retryable, OptionalInt status, Optional<Duration> retryAfter,
            Optional<String> errorCode, @Nullable Throwable cause) {
        super(message, retryable, cause);
        this.status = status.orElse(0);
        this.retryAfter = retryAfter.orElse(null);
        this.errorCode = errorCode.orElse(null);
    }

    /** A failure without an HTTP status (connection lost, stalled stream, malformed chunk). */
    public OpenAiException(String message, boolean retryable, @Nullable Throwable cause) {
        this(message, retryable, OptionalInt.empty(), Optional.empty(), Optional.empty(), cause);
    }

    /** The HTTP status of the failed response, if the server answered with one. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** How long the server asked the client to wait before retrying. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The provider's error code, for example {@code rate_limit_exceeded} or {@code invalid_api_key}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
