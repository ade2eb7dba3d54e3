package dev.parley.testkit.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ParleyException;
import dev.parley.resilience.CircuitBreaker;
import dev.parley.resilience.RetryAfter;
import dev.parley.resilience.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetryAndBreakerTest {
    /** A provider error carrying a server hint, as a 429 with Retry-After would. */
    static final class RateLimited extends ParleyException implements RetryAfter {
        private final Duration hint;

        RateLimited(Duration hint) {
            super("429 too many requests", true, null);
            this.hint = hint;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.of(hint);
        }
    }

    private static final ParleyException RETRYABLE = new ParleyException("503", true, null);
    private static final ParleyException FATAL = new ParleyException("401 unauthorized", false, null);

    @Test
    void fullJitterStaysUnderADoublingCap() {
        var policy = RetryPolicy.builder().maxAttempts(6).baseBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(500)).random(new Random(7)).build();
        long[] caps = {100, 200, 400, 500, 500};
        for (int retry = 1; retry <= 5; retry++) {
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 200; i++) {
                long ms = policy.backoff(retry, RETRYABLE).toMillis();
                max = Math.max(max, ms);
                min = Math.min(min, ms);
            }
            assertThat(max).as("retry %d", retry).isLessThanOrEqualTo(caps[retry - 1]).isGreaterThan(caps[retry - 1] / 2);
            assertThat(min).as("jitter reaches near zero").isLessThan(caps[retry - 1] / 4);
        }
    }

    @Test
    void retriesOnlyRetryableErrorsWhileAttemptsRemain() {
        var policy = RetryPolicy.builder().maxAttempts(3).build();
        assertThat(policy.shouldRetry(1, RETRYABLE)).isTrue();
        assertThat(policy.shouldRetry(2, RETRYABLE)).isTrue();
        assertThat(policy.shouldRetry(3, RETRYABLE)).isFalse();
        assertThat(policy.shouldRetry(1, FATAL)).isFalse();
        assertThat(policy.shouldRetry(1, new IllegalStateException("bug"))).isFalse();
        assertThat(RetryPolicy.none().shouldRetry(1, RETRYABLE)).isFalse();
    }

    @Test
    void honoursRetryAfterUpToItsLimit() {
        var policy = RetryPolicy.builder().maxRetryAfter(Duration.ofSeconds(2)).random(new Random(1)).build();
        var soon = new RateLimited(Duration.ofMillis(1500));
        assertThat(policy.shouldRetry(1, soon)).isTrue();
        assertThat(policy.backoff(1, soon)).isEqualTo(Duration.ofMillis(1500));
        var wrapped = new ParleyException("stream failed", true, soon);
        assertThat(policy.backoff(1, wrapped)).isEqualTo(Duration.ofMillis(1500));
        assertThat(policy.shouldRetry(1, new RateLimited(Duration.ofSeconds(30)))).as("too long: fail over").isFalse();
    }

    @Test
    void breakerOpensAfterConsecutiveFailuresAndRecoversThroughOneTrial() {
        var now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
        InstantSource clock = now::get;
        var b = CircuitBreaker.builder("a").consecutiveFailures(3).cooldown(Duration.ofSeconds(10)).clock(clock).build();
        for (int i = 0; i < 2; i++) {
            assertThat(b.tryAcquire()).isTrue();
            assertThat(b.onFailure()).isFalse();
        }
        b.tryAcquire();
        b.onSuccess(); // resets the run
        for (int i = 0; i < 2; i++) {
            b.tryAcquire();
            assertThat(b.onFailure()).isFalse();
        }
        b.tryAcquire();
        assertThat(b.onFailure()).as("third in a row opens").isTrue();
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.tryAcquire()).isFalse();

        now.set(now.get().plusSeconds(10));
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(b.tryAcquire()).as("the single trial").isTrue();
        assertThat(b.tryAcquire()).as("no second trial while the first is in flight").isFalse();
        assertThat(b.onFailure()).as("a failed trial opens again").isTrue();
        assertThat(b.tryAcquire()).isFalse();

        now.set(now.get().plusSeconds(10));
        assertThat(b.tryAcquire()).isTrue();
        b.release(); // cancelled trial: no verdict, another may try
        assertThat(b.tryAcquire()).isTrue();
        b.onSuccess();
        assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(b.tryAcquire()).isTrue();
    }

    @Test
    void breakerOpensOnFailureRate() {
        var b = CircuitBreaker.builder("a").consecutiveFailures(100).failureRate(0.5, 10, 6).build();
        boolean opened = false;
        int calls = 0;
        while (!opened && calls < 20) { // alternate success and failure: 50 %
            b.tryAcquire();
            if (calls++ % 2 == 0) {
                b.onSuccess();
            } else {
                opened = b.onFailure();
            }
        }
        assertThat(opened).isTrue();
        assertThat(calls).as("opens once the minimum number of calls is reached").isEqualTo(6);
    }
}
