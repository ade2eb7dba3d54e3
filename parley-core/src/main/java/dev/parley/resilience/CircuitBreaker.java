package dev.parley.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A circuit breaker for one provider, shared by every call that uses it. CLOSED: requests pass; it opens after
 * {@code consecutiveFailures} failures in a row, or when at least {@code minimumCalls} of the last {@code window}
 * outcomes are recorded and their failure rate reaches {@code failureRate}. OPEN: requests are refused until
 * {@code cooldown} has passed; then HALF_OPEN: exactly one trial request passes; its success closes the breaker, its
 * failure opens it again for another cooldown. Thread-safe; the clock is injected.
 *
 * <p>Each permitted request must end with exactly one of {@link #onSuccess()}, {@link #onFailure()} or
 * {@link #release()} (no verdict, for example the caller cancelled before the provider answered).
 */
public final class CircuitBreaker {
    /** The breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String name;
    private final int consecutiveThreshold;
    private final double failureRate;
    private final int minimumCalls;
    private final boolean[] window;
    private final Duration cooldown;
    private final InstantSource clock;

    private State state = State.CLOSED;
    private int consecutive;
    private int windowNext;
    private int windowSize;
    private int windowFailures;
    private Instant openedAt = Instant.EPOCH;
    private boolean trialInFlight;

    private CircuitBreaker(Builder b) {
        this.name = b.name;
        this.consecutiveThreshold = b.consecutiveFailures;
        this.failureRate = b.failureRate;
        this.minimumCalls = b.minimumCalls;
        this.window = new boolean[b.window];
        this.cooldown = b.cooldown;
        this.clock = b.clock;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A breaker with the defaults: 5 consecutive failures or 50 % of the last 20 (at least 10), 30 s cooldown. */
    public static CircuitBreaker of(String name) {
        return builder(name).build();
    }

    public String name() {
        return name;
    }

    /** The current state; an OPEN breaker whose cooldown has passed reports HALF_OPEN. */
    public synchronized State state() {
        if (state == State.OPEN && cooldownOver()) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /**
     * Asks to send a request. True when CLOSED, or when this is the single trial of a HALF_OPEN breaker (the first
     * request after the cooldown); false while OPEN or while the trial is in flight.
     */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED -> {
                return true;
            }
            case OPEN -> {
                if (!cooldownOver()) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                return true;
            }
            case HALF_OPEN -> {
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
            }
        }
        throw new AssertionError(state);
    }

    /** The request succeeded: a HALF_OPEN breaker closes (with a fresh window). */
    public synchronized void onSuccess() {
        consecutive = 0;
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            trialInFlight = false;
            resetWindow();
            return;
        }
        record(false);
    }

    /**
     * The request failed. Returns true when this failure opened the breaker (a transition worth reporting as
     * "circuit-open").
     */
    public synchronized boolean onFailure() {
        consecutive++;
        switch (state) {
            case HALF_OPEN -> {
                trialInFlight = false;
                open();
                return true;
            }
            case OPEN -> {
                return false;
            }
            case CLOSED -> {
                record(true);
                boolean rateTripped = windowSize >= minimumCalls && windowFailures >= failureRate * windowSize;
                if (consecutive >= consecutiveThreshold || rateTripped) {
                    open();
                    return true;
                }
                return false;
            }
        }
        throw new AssertionError(state);
    }

    /** The permitted request ended without a verdict (cancelled); a HALF_OPEN trial may be taken again. */
    public synchronized void release() {
        if (state == State.HALF_OPEN) {
            trialInFlight = false;
        }
    }

    private void open() {
        state = State.OPEN;
        openedAt = clock.instant();
        resetWindow();
    }

    private boolean cooldownOver() {
        return !clock.instant().isBefore(openedAt.plus(cooldown));
    }

    private void record(boolean failure) {
        if (windowSize == window.length) {
            if (window[windowNext]) {
                windowFailures--;
            }
        } else {
            windowSize++;
        }
        window[windowNext] = failure;
        if (failure) {
            windowFailures++;
        }
        windowNext = (windowNext + 1) % window.length;
    }

    private void resetWindow() {
        windowNext = 0;
        windowSize = 0;
        windowFailures = 0;
        consecutive = 0;
    }

    @Override
    public synchronized String toString() {
        return "CircuitBreaker[" + name + " " + state + "]";
    }

    /** Builder; see the setters for defaults. */
    public static final class Builder {
        private final String name;
        private int consecutiveFailures = 5;
        private double failureRate = 0.5;
        private int minimumCalls = 10;
        private int window = 20;
        private Duration cooldown = Duration.ofSeconds(30);
        private InstantSource clock = InstantSource.system();

        private Builder(String name) {
            this.name = name;
        }

        /** Failures in a row that open the breaker. Default 5. */
        public Builder consecutiveFailures(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("consecutiveFailures must be >= 1: " + n);
            }
            this.consecutiveFailures = n;
            return this;
        }

        /**
         * Opens the breaker when at least {@code minimumCalls} of the last {@code window} outcomes are known and
         * this share of them failed. Defaults 0.5, 20, 10.
         */
        public Builder failureRate(double rate, int window, int minimumCalls) {
            if (!(rate > 0 && rate <= 1) || window < 1 || minimumCalls < 1 || minimumCalls > window) {
                throw new IllegalArgumentException("invalid failure rate settings");
            }
            this.failureRate = rate;
            this.window = window;
            this.minimumCalls = minimumCalls;
            return this;
        }

        /** How long an open breaker refuses requests before its trial. Default 30 s. */
        public Builder cooldown(Duration d) {
            this.cooldown = RetryPolicy.positive(d);
            return this;
        }

        /** The clock. Default the system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public CircuitBreaker build() {
            return new CircuitBreaker(this);
        }
    }
}
