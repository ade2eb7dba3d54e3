package dev.parley.testkit;

import dev.parley.spi.PullStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Drains a {@link PullStream} on its own virtual thread and records what it yields, so a test can
 * wait for items with a timeout instead of blocking in {@code next()}. Waits throw
 * {@link AssertionError} on timeout, listing what was received.
 *
 * <pre>{@code
 * var events = StreamRecorder.start(stt.open(request));
 * var fin = events.awaitItem(SttEvent.Final.class, Duration.ofSeconds(2));
 * }</pre>
 */
public final class StreamRecorder<T> implements AutoCloseable {
    private final PullStream<T> stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<T> items = new ArrayList<>();
    private final Thread reader;
    private boolean ended;
    private @Nullable Throwable failure;

    private StreamRecorder(PullStream<T> stream, String name) {
        this.stream = stream;
        this.reader = Thread.ofVirtual().name(name).start(this::drain);
    }

    /** Starts draining {@code stream} now. */
    public static <T> StreamRecorder<T> start(PullStream<T> stream) {
        return new StreamRecorder<>(stream, "stream-recorder");
    }

    private void drain() {
        try {
            while (true) {
                Optional<T> item = stream.next();
                lock.lock();
                try {
                    if (item.isEmpty()) {
                        ended = true;
                        return;
                    }
                    items.add(item.get());
                } finally {
                    changed.signalAll();
                    lock.unlock();
                }
            }
        } catch (Throwable t) {
            lock.lock();
            try {
                failure = t;
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits (up to {@code timeout}) until the reader is parked inside {@code next()} or the stream has
     * ended; used to prove that {@code close()} unblocks a pending {@code next()}.
     */
    public void awaitReaderBlocked(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended()) {
            Thread.State st = reader.getState();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("reader never blocked in next(); state " + st);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** The stream being drained. */
    public PullStream<T> stream() {
        return stream;
    }

    /** The items received so far, in order. */
    public List<T> items() {
        lock.lock();
        try {
            return List.copyOf(items);
        } finally {
            lock.unlock();
        }
    }

    /** Items of one type received so far. */
    public <S extends T> List<S> items(Class<S> type) {
        return items().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** True once the stream returned empty or threw. */
    public boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** What {@code next()} threw, if it did. */
    public Optional<Throwable> failure() {
        lock.lock();
        try {
            return Optional.ofNullable(failure);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first item (counting those already received) that matches. */
    public T awaitItem(Predicate<? super T> match, Duration timeout) {
        return await(() -> items.stream().filter(match).findFirst().orElse(null), timeout, "a matching item");
    }

    /** Waits for the first item of the given type. */
    public <S extends T> S awaitItem(Class<S> type, Duration timeout) {
        return type.cast(awaitItem(type::isInstance, timeout));
    }

    /** Waits until at least {@code n} items of the given type have arrived; returns them all. */
    public <S extends T> List<S> awaitItems(Class<S> type, int n, Duration timeout) {
        await(() -> items.stream().filter(type::isInstance).count() >= n ? Boolean.TRUE : null, timeout,
                n + " items of " + type.getSimpleName());
        return items(type);
    }

    /** Waits until the stream ends (returns empty); returns every item. Fails if the stream threw. */
    public List<T> awaitEnd(Duration timeout) {
        await(() -> ended ? Boolean.TRUE : null, timeout, "the end of the stream");
        Throwable t = failure().orElse(null);
        if (t != null) {
            throw new AssertionError("stream failed instead of ending; items " + items(), t);
        }
        return items();
    }

    /** Waits until {@code next()} throws; returns what it threw. */
    public Throwable awaitFailure(Duration timeout) {
        return await(() -> failure, timeout, "a stream failure");
    }

    /** Waits until the stream ends either way (empty or failure). */
    public void awaitDone(Duration timeout) {
        await(() -> ended ? Boolean.TRUE : null, timeout, "the stream to end or fail");
    }

    private interface Probe<R> {
        @Nullable R probe();
    }

    private <R> R await(Probe<R> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                R r = probe.probe();
                if (r != null) {
                    return r;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                            + "; ended=" + ended + ", failure=" + failure + ", items=" + items);
                }
                changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the stream and waits (up to 1 s) for the reader thread. */
    @Override
    public void close() {
        stream.close();
        try {
            reader.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
