package dev.parley.provider;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Hands events from socket callbacks to a stream's reader: events in order, then one terminal
 * outcome (end or failure) that sticks. {@link #close()} discards what is queued so the reader
 * sees the end at once; {@link #wake()} makes a waiting poll return early.
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

    /** Ends after the queued events; ignored after another outcome. */
    public void end() {
        terminate(new Item.End<>(), false);
    }

    /** Fails after the queued events; returns whether this was the first outcome. */
    public boolean fail(ParleyException error) {
        return terminate(new Item.Failed<>(error), false);
    }

    /** Ends now, discarding queued events. */
    public void close() {
        terminate(new Item.End<>(), true);
    }

    public boolean terminated() {
        lock.lock();
        try {
            return terminal != null;
        } finally {
            lock.unlock();
        }
    }

    public void wake() {
        queue.add(wakeMarker);
    }

    /** The next event, the terminal outcome (on every later call too), or a timeout after {@code wait}. */
    @SuppressWarnings("unchecked")
    public Item<T> poll(Duration wait) {
        try {
            Object o = queue.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
            if (o == null || o == wakeMarker) {
                return new Item.Timeout<>();
            }
            Item<T> item = (Item<T>) o;
            if (item instanceof Item.End<T> || item instanceof Item.Failed<T>) {
                queue.add(item);
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
                queue.clear();
            }
            queue.add(outcome);
            return first;
        } finally {
            lock.unlock();
        }
    }
}
