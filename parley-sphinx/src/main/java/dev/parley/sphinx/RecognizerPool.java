package dev.parley.sphinx;

import dev.parley.ParleyException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognisers of one model, created on demand up to {@code max} and reused: a stream borrows one
 * for its lifetime. Creating one costs ~1-2 s and tens of MB (acoustic model), reusing one costs
 * nothing, so size the pool to the number of concurrent calls the machine can decode in real time.
 */
final class RecognizerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecognizerPool.class);

    private final URL config;
    private final int max;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final ArrayDeque<SphinxRecognizer> idle = new ArrayDeque<>();
    private int total;
    private boolean closed;

    RecognizerPool(URL config, int max) {
        this.config = config;
        this.max = max;
    }

    /** Creates recognisers until {@code count} exist (not more than the maximum). */
    void prewarm(int count) {
        for (int i = 0; i < count; i++) {
            SphinxRecognizer r = tryCreate();
            if (r == null) {
                return;
            }
            release(r);
        }
    }

    SphinxRecognizer acquire(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new ParleyException("SphinxStt is closed");
                }
                SphinxRecognizer r = idle.poll();
                if (r != null) {
                    return r;
                }
                if (total < max) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ParleyException("all " + max + " Sphinx recognisers are busy", true, null);
                }
                returned.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while waiting for a recogniser", e);
        } finally {
            lock.unlock();
        }
        SphinxRecognizer r = tryCreate();
        return r != null ? r : acquire(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private @Nullable SphinxRecognizer tryCreate() {
        lock.lock();
        try {
            if (total >= max || closed) {
                return null;
            }
            total++;
        } finally {
            lock.unlock();
        }
        try {
            long t0 = System.nanoTime();
            var r = new SphinxRecognizer(config);
            log.debug("created Sphinx recogniser {} of {} in {} ms", total, max, (System.nanoTime() - t0) / 1_000_000);
            return r;
        } catch (RuntimeException e) {
            lock.lock();
            try {
                total--;
                returned.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    void release(SphinxRecognizer r) {
        lock.lock();
        try {
            if (closed) {
                total--;
                r.deallocate();
                return;
            }
            idle.push(r);
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops a recogniser whose state is unknown (its stream failed). */
    void discard(SphinxRecognizer r) {
        lock.lock();
        try {
            total--;
            returned.signalAll();
        } finally {
            lock.unlock();
        }
        r.deallocate();
    }

    int created() {
        lock.lock();
        try {
            return total;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (SphinxRecognizer r : idle) {
                total--;
                r.deallocate();
            }
            idle.clear();
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
