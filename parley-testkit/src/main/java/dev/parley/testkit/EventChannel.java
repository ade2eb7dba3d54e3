package dev.parley.testkit;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The engine of every fake pull stream: a FIFO of items, each visible from a due time (so a fake
 * paces its output without a thread), an end, a failure, and a close that discards everything and
 * wakes a pending {@link #next()}. A {@link Fault} is applied as items are offered.
 */
final class EventChannel<T> {
    private record Entry<T>(T item, long dueNanos) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry<T>> items = new ArrayDeque<>();
    private final Fault fault;
    private int offered;
    private long lastDue = Long.MIN_VALUE;
    private boolean ended;
    private boolean closed;
    private boolean stalled;
    private @Nullable ParleyException failure;
    private long failureDue;

    EventChannel(Fault fault) {
        this.fault = fault;
        applyFault(System.nanoTime());
    }

    /** Offers an item visible now. Returns false when the item was dropped (closed, ended, failed, stalled). */
    boolean offer(T item) {
        return offerAt(item, System.nanoTime());
    }

    /**
     * Offers an item visible from {@code dueNanos} ({@link System#nanoTime()} base); items stay in
     * offer order, so an item is visible no earlier than the one before it.
     */
    boolean offerAt(T item, long dueNanos) {
        lock.lock();
        try {
            if (closed || ended || stalled || failure != null) {
                return false;
            }
            long due = Math.max(dueNanos, lastDue);
            lastDue = due;
            items.add(new Entry<>(item, due));
            offered++;
            applyFault(due);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void applyFault(long due) {
        switch (fault) {
            case Fault.FailAfter f when offered >= f.events() && failure == null -> {
                failure = f.error();
                failureDue = Math.max(due, lastDue);
            }
            case Fault.StallAfter s when offered >= s.events() -> stalled = true;
            default -> {}
        }
    }

    /** Ends the stream once the items already offered have been taken. */
    void end() {
        lock.lock();
        try {
            if (!stalled) {
                ended = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails the stream once the items already offered have been taken. */
    void fail(ParleyException error) {
        lock.lock();
        try {
            if (failure == null && !ended && !closed) {
                failure = error;
                failureDue = Math.max(System.nanoTime(), lastDue);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Discards everything; a pending and every later {@link #next()} returns empty. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** True once closed, or once ended or failed and drained. */
    boolean isDone() {
        lock.lock();
        try {
            return closed || (items.isEmpty() && (ended || failure != null));
        } finally {
            lock.unlock();
        }
    }

    /** The time the last offered item becomes visible ({@link System#nanoTime()} base), or now. */
    long lastDueNanos() {
        lock.lock();
        try {
            return Math.max(lastDue, System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    int offered() {
        lock.lock();
        try {
            return offered;
        } finally {
            lock.unlock();
        }
    }

    Optional<T> next() {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return Optional.empty();
                }
                long now = System.nanoTime();
                Entry<T> head = items.peek();
                long wait;
                if (head != null) {
                    wait = head.dueNanos() - now;
                    if (wait <= 0) {
                        items.poll();
                        return Optional.of(head.item());
                    }
                } else if (failure != null) {
                    wait = failureDue - now;
                    if (wait <= 0) {
                        throw failure;
                    }
                } else if (ended) {
                    return Optional.empty();
                } else {
                    wait = Long.MAX_VALUE;
                }
                if (wait == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code duration} or until closed; returns false if closed (or interrupted). */
    boolean pause(Duration duration) {
        lock.lock();
        try {
            long remaining = duration.toNanos();
            while (!closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    static long nanosFromNow(Duration d) {
        return System.nanoTime() + TimeUnit.NANOSECONDS.convert(d);
    }
}
