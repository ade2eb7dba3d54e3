package dev.parley.server;

import dev.parley.CallSession;
import dev.parley.twilio.TwilioTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Admission control and the live calls. A voice webhook reserves a slot for its CallSid until the stream
 * starts (or the token expires), so calls in flight between webhook and stream count against the limit.
 * While draining nothing new is admitted, except streams whose webhook was admitted before.
 */
final class Calls {
    enum Admission { ADMITTED, BUSY, DRAINING }

    /** One admitted call: its transport, and its session once the agent runs. */
    static final class Live {
        final String callSid;
        final TwilioTransport transport;
        final Instant startedAt;
        volatile @Nullable CallSession session;

        Live(String callSid, TwilioTransport transport, Instant startedAt) {
            this.callSid = callSid;
            this.transport = transport;
            this.startedAt = startedAt;
        }

        Optional<CallSession> session() {
            return Optional.ofNullable(session);
        }
    }

    private final int maxCalls;
    private final Duration reservation;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Instant> reserved = new HashMap<>();
    private final Set<Live> live = new LinkedHashSet<>();
    private boolean draining;

    Calls(int maxCalls, Duration reservation, InstantSource clock) {
        this.maxCalls = maxCalls;
        this.reservation = reservation;
        this.clock = clock;
    }

    /** The voice webhook: reserves a slot for {@code callSid}. */
    Admission admitWebhook(String callSid) {
        lock.lock();
        try {
            if (draining) {
                return Admission.DRAINING;
            }
            purgeExpired();
            if (!reserved.containsKey(callSid) && live.size() + reserved.size() >= maxCalls) {
                return Admission.BUSY;
            }
            reserved.put(callSid, clock.instant().plus(reservation));
            return Admission.ADMITTED;
        } finally {
            lock.unlock();
        }
    }

    /** A stream's {@code start} with a valid token: takes its reservation, or a free slot if it has none. */
    Admission admitStream(String callSid, TwilioTransport transport, List<Live> admitted) {
        lock.lock();
        try {
            purgeExpired();
            boolean hadReservation = reserved.remove(callSid) != null;
            if (!hadReservation) {
                if (draining) {
                    return Admission.DRAINING;
                }
                if (live.size() + reserved.size() >= maxCalls) {
                    return Admission.BUSY;
                }
            }
            Live call = new Live(callSid, transport, clock.instant());
            live.add(call);
            admitted.add(call);
            changed.signalAll();
            return Admission.ADMITTED;
        } finally {
            lock.unlock();
        }
    }

    void ended(Live call) {
        lock.lock();
        try {
            live.remove(call);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void startDraining() {
        lock.lock();
        try {
            draining = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean draining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    int active() {
        lock.lock();
        try {
            return live.size();
        } finally {
            lock.unlock();
        }
    }

    List<Live> live() {
        lock.lock();
        try {
            return new ArrayList<>(live);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no call is live and no admitted stream is still expected; false at the deadline. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                purgeExpired();
                if (live.isEmpty() && reserved.isEmpty()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // reservations expire without a signal: look again at least every 100 ms
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } finally {
            lock.unlock();
        }
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        reserved.values().removeIf(until -> !until.isAfter(now));
    }
}
