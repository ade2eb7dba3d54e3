package dev.parley;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The clock and timer service of calls: injected so that tests and replays control time. */
public interface CallClock {
    Instant now();

    /** Runs {@code task} at or soon after {@code at}; the task must be short (it posts a signal). */
    Timer schedule(Instant at, Runnable task);

    /** A scheduled task. */
    interface Timer {
        void cancel();
    }

    /** Wall-clock time with one shared timer thread for all calls of the process. */
    static CallClock system() {
        return SystemClock.INSTANCE;
    }

    /** The system clock implementation. */
    final class SystemClock implements CallClock {
        static final SystemClock INSTANCE = new SystemClock();
        private final ScheduledThreadPoolExecutor timers;

        private SystemClock() {
            timers = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "parley-timers");
                t.setDaemon(true);
                return t;
            });
            timers.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Timer schedule(Instant at, Runnable task) {
            long delay = Math.max(0, Duration.between(Instant.now(), at).toNanos());
            var future = timers.schedule(task, delay, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
