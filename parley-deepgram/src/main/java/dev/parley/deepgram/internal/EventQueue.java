package dev.parley.deepgram.internal;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The hand-off between socket callbacks and a stream's {@code next()}: events in order, then one
 * terminal outcome (end, failure, or close) that sticks. {@link #wake()} makes a waiting
 * {@link #poll} return early so the reader can recompute its deadlines.
 */
public final class EventQueue<T> {
    /** What {@link #poll} returns. */
    public sealed interface Item<T> {
        record Event<T>(T event) implements Item<T> {}

        record Timeout<T>() implements Item<T> {}

        record End<T>() implements Item<T> {}

        record Failed<T>(ParleyException error) implements Item<T> {}
    }

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Object wakeMarker = new Object();
    private @Nullable Item<T> terminal;

    /** Adds an event unless the stream already ended. */
    public void offer(T event) {
        lock.lock();
        try {
            if (terminal == null) {
                queue.add(new Item.Event<>(event));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream after the events already queued. Ignored after another terminal outcome. */
    public void end() {
        terminate(new Item.End<>(), false);
    }

    /** Fails the stream after the events already queued. Returns whether this was the first outcome. */
    public boolean fail(ParleyException error) {
        return terminate(new Item.Failed<>(error), false);
    }

    /** Ends the stream now, discarding queued events (the reader gets the end at once). */
    public void close() {
        terminate(new Item.End<>(), true);
    }

    /** Whether an end, failure or close has been recorded. */
    public boolean terminated() {
        lock.lock();
        try {
            return terminal != null;
        } finally {
            lock.unlock();
        }
    }

    /** The failure, if the stream failed. */
    public Optional<ParleyException> failure() {
        lock.lock();
        try {
            return terminal instanceof Item.Failed<T>(var e) ? Optional.of(e) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Makes a pending {@link #poll} return a {@link Item.Timeout} now. */
    public void wake() {
        queue.add(wakeMarker);
    }

    /**
     * The next item: an event, the terminal outcome (again on every later call), or a
     * {@link Item.Timeout} after {@code wait} or a {@link #wake()}.
     */
    @SuppressWarnings("unchecked")
    public Item<T> poll(Duration wait) {
        try {
            Object o = queue.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
            if (o == null || o == wakeMarker) {
                return new Item.Timeout<>();
            }
            Item<T> item = (Item<T>) o;
            if (item instanceof Item.End<T> || item instanceof Item.Failed<T>) {
                queue.add(item); // terminal outcomes stick for later calls
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Item.End<>();
        }
    }

    private boolean terminate(Item<T> outcome, boolean discard) {
        lock.lock();
        try {
            if (terminal != null && !discard) {
                return false;
            }
            boolean first = terminal == null;
            terminal = outcome;
            if (discard) {
                queue.clear(); // close: the reader sees the end at once, not queued events or a failure
            }
            queue.add(outcome);
            return first;
        } finally {
            lock.unlock();
        }
    }
}
