package dev.parley.internal;

import dev.parley.ParleyException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small bounded pipe between two stages: {@link #put} blocks while full (backpressure), {@link #take} blocks while
 * empty, {@link #close()} ends the stream after what is queued, {@link #cancel()} discards everything and wakes both
 * sides.
 */
public final class Pipe<T> {
    /** Thrown by {@link #put} and {@link #take} once the pipe is cancelled. */
    public static final class CancelledException extends ParleyException {
        CancelledException() {
            super("pipe cancelled");
        }
    }

    private final ArrayDeque<T> items;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean closed;
    private boolean cancelled;

    public Pipe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 64));
    }

    public void put(T item) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity && !cancelled && !closed) {
                notFull.await();
            }
            if (cancelled) {
                throw new CancelledException();
            }
            if (closed) {
                throw new IllegalStateException("pipe closed");
            }
            items.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Puts without blocking, even past capacity (for short control items such as filler text). */
    public void offerAlways(T item) {
        lock.lock();
        try {
            if (!cancelled && !closed) {
                items.addLast(item);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next item; empty once closed and drained. */
    public Optional<T> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !closed && !cancelled) {
                notEmpty.await();
            }
            if (cancelled) {
                throw new CancelledException();
            }
            T item = items.pollFirst();
            if (item != null) {
                notFull.signal();
            }
            return Optional.ofNullable(item);
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void cancel() {
        lock.lock();
        try {
            cancelled = true;
            items.clear();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed || cancelled;
        } finally {
            lock.unlock();
        }
    }
}
