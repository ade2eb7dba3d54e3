package dev.parley.sphinx;

import dev.parley.ParleyException;
import dev.parley.spi.SttEvent;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/** The events of one stream: the decoding thread offers, the consumer blocks in {@link #next()}. */
final class EventQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<SttEvent> events = new ArrayDeque<>();
    private boolean ended;
    private boolean closed;
    private @Nullable ParleyException failure;

    void offer(SttEvent event) {
        lock.lock();
        try {
            if (!ended && !closed) {
                events.add(event);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more events: {@code next()} drains what is queued, then returns empty. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** After the queued events, {@code next()} throws {@code failure}. */
    void fail(ParleyException e) {
        lock.lock();
        try {
            if (!ended) {
                failure = e;
                ended = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Discards pending events; a blocked or later {@code next()} returns empty. */
    void close() {
        lock.lock();
        try {
            closed = true;
            events.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Optional<SttEvent> next() {
        lock.lock();
        try {
            while (events.isEmpty() && !ended && !closed) {
                changed.await();
            }
            if (closed) {
                return Optional.empty();
            }
            SttEvent e = events.poll();
            if (e != null) {
                return Optional.of(e);
            }
            if (failure != null) {
                ParleyException f = failure;
                failure = null;
                throw f;
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while waiting for a transcript", e);
        } finally {
            lock.unlock();
        }
    }
}
