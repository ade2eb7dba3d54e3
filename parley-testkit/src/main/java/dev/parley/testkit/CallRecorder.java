package dev.parley.testkit;

import dev.parley.CallEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Records a call's events (pass it to {@code agent.call(transport, recorder)}) and waits for them without sleeps. */
public final class CallRecorder implements Consumer<CallEvent> {
    private final List<CallEvent> events = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    @Override
    public void accept(CallEvent event) {
        lock.lock();
        try {
            events.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public List<CallEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the {@code n}-th (1-based) event matching {@code p}; fails with the events so far on timeout. */
    public CallEvent await(Predicate<CallEvent> p, int n, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                int seen = 0;
                for (CallEvent e : events) {
                    if (p.test(e) && ++seen == n) {
                        return e;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for event #" + n
                            + "; events so far: " + events);
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    public <T extends CallEvent> T await(Class<T> type, Duration timeout) {
        return type.cast(await(type::isInstance, 1, timeout));
    }

    /** Waits for the {@code n}-th event of a type. */
    public <T extends CallEvent> T await(Class<T> type, int n, Duration timeout) {
        return type.cast(await(type::isInstance, n, timeout));
    }

    public <T extends CallEvent> List<T> all(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }
}
