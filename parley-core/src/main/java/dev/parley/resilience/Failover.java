package dev.parley.resilience;

import dev.parley.ParleyException;
import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's walk down a fallback chain: which provider is current, how many attempts it had, its breaker permit,
 * backoff waits (cut short by {@link #close()}), and the reports. Not thread-safe except {@link #close()}: one
 * reader thread drives it.
 */
final class Failover<P> {
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

    /** A provider of the chain with its name and breaker. */
    record Link<P>(P provider, String name, CircuitBreaker breaker) {}

    private final List<Link<P>> links;
    private final RetryPolicy retry;
    private final String callId;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Thread sleeping;
    private volatile boolean closed;
    private volatile int index;
    private int attempts;
    private final AtomicBoolean holding = new AtomicBoolean();
    private int failovers;

    Failover(List<Link<P>> links, RetryPolicy retry, String callId) {
        this.links = links;
        this.retry = retry;
        this.callId = callId;
    }

    /**
     * Opens a stream on the current provider, retrying and failing over as needed. Empty when the stream was closed
     * or every provider failed ({@link #exhausted()}).
     */
    <S> Optional<S> open(Function<P, S> opener) {
        while (!closed && index < links.size()) {
            Link<P> link = links.get(index);
            if (!link.breaker().tryAcquire()) {
                advance("circuit open");
                continue;
            }
            holding.set(true);
            attempts++;
            try {
                return Optional.of(opener.apply(link.provider()));
            } catch (RuntimeException e) {
                failed(e, false);
            }
        }
        return Optional.empty();
    }

    /**
     * Records a failure of the current provider's stream. Returns after the backoff when the same provider should be
     * tried again (a retryable error before any output of this attempt), or after moving to the next provider.
     */
    void failed(RuntimeException error, boolean outputDelivered) {
        Link<P> link = links.get(index);
        holding.set(false);
        boolean opened = link.breaker().onFailure();
        String message = describe(error);
        if (!(error instanceof StalledException)) {
            report("error", link.name(), message);
        }
        if (opened) {
            report("circuit-open", link.name(), "opened after: " + message);
        }
        if (!closed && !outputDelivered && retry.shouldRetry(attempts, error)) {
            Duration wait = retry.backoff(attempts, error);
            report("retry", link.name(), "attempt " + (attempts + 1) + " after " + wait.toMillis() + " ms");
            sleep(wait);
            return;
        }
        advance(message);
    }

    /** Records a failure of the current provider without retrying or moving on (the stream ends here). */
    void failedHere(RuntimeException error) {
        Link<P> link = links.get(index);
        holding.set(false);
        boolean opened = link.breaker().onFailure();
        if (!(error instanceof StalledException)) {
            report("error", link.name(), describe(error));
        }
        if (opened) {
            report("circuit-open", link.name(), "opened after: " + describe(error));
        }
    }

    private void advance(String reason) {
        String from = links.get(index).name();
        index++;
        attempts = 0;
        if (index < links.size()) {
            failovers++;
            report("failover", from, "to " + links.get(index).name() + ": " + reason);
        }
    }

    /** The current provider delivered output: its breaker counts a success (once per attempt; any thread). */
    void succeeded() {
        if (holding.compareAndSet(true, false)) {
            links.get(index).breaker().onSuccess();
        }
    }

    /** The attempt ended without a verdict (closed before any output); any thread. */
    void released() {
        if (holding.compareAndSet(true, false)) {
            links.get(index).breaker().release();
        }
    }

    boolean exhausted() {
        return index >= links.size();
    }

    /** Failovers so far in this stream. */
    int failovers() {
        return failovers;
    }

    String currentName() {
        return index < links.size() ? links.get(index).name() : "none";
    }

    String callId() {
        return callId;
    }

    void report(String kind, String provider, String detail) {
        LOG.debug("call {}: {} {} {}", callId, kind, provider, detail);
        ProviderEvents.report(callId, new ProviderEvent(kind, provider, detail));
    }

    /** Stops the walk: a backoff wait in progress ends at once (by interrupting the waiting reader). */
    void close() {
        lock.lock();
        try {
            closed = true;
            if (sleeping != null) {
                sleeping.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        return closed;
    }

    private void sleep(Duration wait) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            sleeping = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        boolean interruptedFromOutside = false;
        try {
            retry.sleep(wait);
        } catch (InterruptedException e) {
            interruptedFromOutside = !closed;
        } finally {
            lock.lock();
            try {
                sleeping = null;
                Thread.interrupted(); // clear an interrupt from our own close(); an outside one is restored below
            } finally {
                lock.unlock();
            }
        }
        if (interruptedFromOutside) {
            closed = true;
            Thread.currentThread().interrupt();
        }
    }

    static String describe(Throwable error) {
        String m = error.getMessage();
        return error instanceof ParleyException && m != null ? m : error.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** A link's name in reports: the provider's own name, made unique by position when already taken. */
    static String linkName(String name, int position, List<String> taken) {
        return taken.contains(name) ? name + "#" + (position + 1) : name;
    }
}
