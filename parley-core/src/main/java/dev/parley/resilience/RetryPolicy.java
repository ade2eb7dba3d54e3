package dev.parley.resilience;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * When and how long to wait before repeating a failed provider request. Only {@link ParleyException}s that say they
 * are {@link ParleyException#retryable() retryable} are retried, at most {@code maxAttempts} attempts in all. The wait
 * before retry {@code n} (1-based) is "full jitter": uniformly random in {@code [0, min(maxBackoff, baseBackoff·2^(n-1))]},
 * raised to the server's hint when the error implements {@link RetryAfter}; a hint longer than
 * {@code maxRetryAfter} means "do not retry here" (fail over instead).
 *
 * <pre>{@code
 * var retry = RetryPolicy.builder().maxAttempts(3).baseBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).build();
 * }</pre>
 */
public final class RetryPolicy {
    /** Waits; tests inject one that records the waits and returns at once. Must be interruptible. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Sleeper REAL = d -> Thread.sleep(d);

    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Supplier<RandomGenerator> random;
    private final Sleeper sleeper;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.random = b.random;
        this.sleeper = b.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Three attempts, 100 ms base, 1 s cap, server hints honoured up to 2 s, real sleeping. */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** One attempt: never retry (fail over at once). */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Whether to retry after {@code attemptsSoFar} attempts failed, the last with {@code error}: the error is a
     * retryable {@link ParleyException}, attempts remain, and any server hint is within {@code maxRetryAfter}.
     */
    public boolean shouldRetry(int attemptsSoFar, Throwable error) {
        if (attemptsSoFar >= maxAttempts || !(error instanceof ParleyException p) || !p.retryable()) {
            return false;
        }
        return retryAfterHint(error).map(h -> h.compareTo(maxRetryAfter) <= 0).orElse(true);
    }

    /** The wait before retry number {@code retry} (1 for the first retry) after {@code error}. */
    public Duration backoff(int retry, Throwable error) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1: " + retry);
        }
        long capNanos = baseBackoff.toNanos();
        for (int i = 1; i < retry && capNanos < maxBackoff.toNanos(); i++) {
            capNanos *= 2;
        }
        capNanos = Math.min(capNanos, maxBackoff.toNanos());
        long jitter = capNanos <= 0 ? 0 : random.get().nextLong(capNanos + 1);
        Duration wait = Duration.ofNanos(jitter);
        Optional<Duration> hint = retryAfterHint(error);
        if (hint.isPresent() && hint.get().compareTo(wait) > 0) {
            wait = hint.get();
        }
        return wait;
    }

    /** Waits with the configured sleeper. */
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isPositive()) {
            sleeper.sleep(duration);
        }
    }

    /** The server's hint carried by the error or one of its causes, if any implements {@link RetryAfter}. */
    public static Optional<Duration> retryAfterHint(Throwable error) {
        for (@Nullable Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryAfter r) {
                return r.retryAfter();
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", base=" + baseBackoff + ", max=" + maxBackoff + "]";
    }

    /** Builder; see the setters for defaults. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration baseBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Duration maxRetryAfter = Duration.ofSeconds(2);
        private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
        private Sleeper sleeper = REAL;

        private Builder() {}

        /** Attempts in all, the first included (1 = no retry). Default 3. */
        public Builder maxAttempts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1: " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /** Cap of the first retry's jitter; doubles per retry. Default 100 ms. */
        public Builder baseBackoff(Duration d) {
            this.baseBackoff = nonNegative(d);
            return this;
        }

        /** Upper bound of any jittered wait. Default 1 s. */
        public Builder maxBackoff(Duration d) {
            this.maxBackoff = nonNegative(d);
            return this;
        }

        /** The longest server "retry after" hint worth waiting for on the same provider. Default 2 s. */
        public Builder maxRetryAfter(Duration d) {
            this.maxRetryAfter = nonNegative(d);
            return this;
        }

        /** Source of jitter (seed one in tests). Default {@link ThreadLocalRandom}. */
        public Builder random(RandomGenerator random) {
            this.random = () -> random;
            return this;
        }

        /** How to wait. Default {@link Thread#sleep(Duration)}. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public RetryPolicy build() {
            if (maxBackoff.compareTo(baseBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff " + maxBackoff + " < baseBackoff " + baseBackoff);
            }
            return new RetryPolicy(this);
        }
    }

    static Duration nonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        return d;
    }

    static Duration positive(Duration d) {
        if (!d.isPositive()) {
            throw new IllegalArgumentException("duration must be positive: " + d);
        }
        return d;
    }
}
