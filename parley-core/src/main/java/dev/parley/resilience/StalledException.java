package dev.parley.resilience;

import dev.parley.ParleyException;
import java.time.Duration;

/**
 * A provider stream produced nothing within its deadline (see {@link Deadlines}). Always retryable: the stream is
 * closed when this is thrown, and a new stream (on the same or another provider) may well succeed.
 */
public final class StalledException extends ParleyException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final Duration waited;
    private final boolean firstOutput;

    StalledException(String provider, Duration waited, boolean firstOutput) {
        super(provider + " stalled: " + (firstOutput ? "no first output within " : "no output for ")
                + waited.toMillis() + " ms", true, null);
        this.provider = provider;
        this.waited = waited;
        this.firstOutput = firstOutput;
    }

    /** The provider's name. */
    public String provider() {
        return provider;
    }

    /** The deadline that expired. */
    public Duration waited() {
        return waited;
    }

    /** True when the stream never produced its first output (time to first byte), false for a gap between items. */
    public boolean firstOutput() {
        return firstOutput;
    }
}
