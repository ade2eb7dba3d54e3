package dev.parley;

/** Root of every exception Parley throws. Provider errors say whether a retry may succeed. */
public class ParleyException extends RuntimeException {
    private final boolean retryable;

    public ParleyException(String message) {
        this(message, false, null);
    }

    public ParleyException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public ParleyException(String message, boolean retryable, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether repeating the same request later may succeed (connect failures, 429, 5xx). */
    public boolean retryable() {
        return retryable;
    }
}
