package dev.parley.openai;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed request is sent again. Only retryable failures (connect errors, 408, 409, 429, 5xx,
 * a stall or a cut stream) are retried, and only before any event reached the caller: once text was
 * delivered the failure is reported, never hidden by a second answer.
 *
 * @param maxAttempts attempts in all, including the first (1 means no retry)
 * @param initialBackoff the wait before the first retry; it doubles per retry
 * @param maxBackoff the longest computed wait; each wait is then jittered to 75–100 %
 * @param maxRetryAfter the longest server-requested wait ({@code retry-after}) honoured; a server
 *     asking for more is not retried, because the caller cannot wait that long
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max, maxRetryAfter >= 0");
        }
    }

    /** 3 attempts, 250 ms doubling up to 2 s, server delays up to 10 s: sized for a caller on the line. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** Never retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The wait before attempt {@code attempt} (2 is the first retry), or empty when that attempt must
     * not be made (attempts used up, or the server asked for longer than {@link #maxRetryAfter}).
     */
    public Optional<Duration> delayBefore(int attempt, Optional<Duration> retryAfter, RandomGenerator random) {
        if (attempt > maxAttempts) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(maxRetryAfter) <= 0 ? retryAfter : Optional.empty();
        }
        int doublings = Math.min(Math.max(0, attempt - 2), 30);
        long nanos = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << doublings);
        if (nanos < 0) {
            nanos = maxBackoff.toNanos();
        }
        return Optional.of(Duration.ofNanos((long) (nanos * (0.75 + 0.25 * random.nextDouble()))));
    }
}
