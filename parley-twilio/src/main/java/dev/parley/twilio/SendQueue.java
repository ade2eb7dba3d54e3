package dev.parley.twilio;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The outbound frames of one connection, drained by its sender thread. Writers never block: media over
 * the capacity is dropped and the time the queue first overflowed is kept, so the transport can end a
 * call whose client stays too slow. Control frames (marks, clear) are always queued.
 */
final class SendQueue {
    /** What an offer did. */
    enum Offer { QUEUED, DROPPED, TOO_SLOW, CLOSED }

    private record Item(String text, boolean media) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private final int capacity;
    private final Duration slowTimeout;
    private final InstantSource clock;
    private @Nullable Instant fullSince;
    private boolean closed;
    private long dropped;

    SendQueue(int capacity, Duration slowTimeout, InstantSource clock) {
        this.capacity = capacity;
        this.slowTimeout = slowTimeout;
        this.clock = clock;
    }

    Offer offerMedia(String text) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (items.size() >= capacity) {
                dropped++;
                Instant now = clock.instant();
                if (fullSince == null) {
                    fullSince = now;
                    return Offer.DROPPED;
                }
                return Duration.between(fullSince, now).compareTo(slowTimeout) > 0 ? Offer.TOO_SLOW : Offer.DROPPED;
            }
            items.add(new Item(text, true));
            notEmpty.signal();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    Offer offerControl(String text) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            items.add(new Item(text, false));
            notEmpty.signal();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Drops queued media (never sent, so never heard) and puts {@code clear} first; queued marks stay, in order. */
    int clearMedia(String clearText) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            int removed = 0;
            for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                if (it.next().media()) {
                    it.remove();
                    removed++;
                }
            }
            items.addFirst(new Item(clearText, false));
            fullSince = null;
            notEmpty.signal();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** The next frame to send; empty once closed. */
    Optional<String> take() throws InterruptedException {
        lock.lock();
        try {
            while (items.isEmpty() && !closed) {
                notEmpty.await();
            }
            if (closed) {
                return Optional.empty();
            }
            Item item = items.poll();
            if (items.size() < capacity) {
                fullSince = null;
            }
            return Optional.of(item.text());
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            items.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
