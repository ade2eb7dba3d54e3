package dev.parley.resilience;

import java.util.Optional;

/**
 * Implemented by provider exceptions that carry a server's "retry after" hint (HTTP 429 or 503 with a
 * {@code Retry-After} header, a WebSocket close reason with a back-off). {@link RetryPolicy} waits at least that long
 * before retrying the same provider, and fails over instead when the hint is longer than it is willing to wait.
 */
public interface RetryAfter {
    /** How long the server asked us to wait; empty when it gave no hint. */
    Optional<java.time.Duration> retryAfter();
}
