package dev.parley.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small structured-concurrency scope Parley needs (StructuredTaskScope is a preview API in JDK 25): forks tasks
 * on virtual threads, registers closeables, cancels everything at once (interrupt + close), joins with a deadline.
 * The first failure cancels the rest.
 */
public final class TaskScope implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskScope.class);

    /** A forked task. */
    public static final class Task<T> {
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile @Nullable Thread thread;

        public boolean isDone() {
            return result.isDone();
        }

        /** Interrupts this task only. */
        public void interrupt() {
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        /** Waits for the result up to {@code timeout}; empty on timeout. */
        public Optional<T> await(Duration timeout) throws InterruptedException, ExecutionException {
            try {
                return Optional.ofNullable(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                return Optional.empty();
            }
        }

        public CompletableFuture<T> future() {
            return result;
        }
    }

    private final String name;
    private final List<Task<?>> tasks = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile @Nullable Throwable failure;

    public TaskScope(String name) {
        this.name = name;
    }

    public <T> Task<T> fork(String taskName, Callable<T> body) {
        Task<T> task = new Task<>();
        synchronized (this) {
            if (cancelled) {
                task.result.cancel(false);
                return task;
            }
            tasks.add(task);
        }
        Thread t = Thread.ofVirtual().name(name + "/" + taskName).unstarted(() -> {
            try {
                task.result.complete(body.call());
            } catch (Throwable e) {
                task.result.completeExceptionally(e);
                if (!cancelled && !(e instanceof InterruptedException) && !(e instanceof Pipe.CancelledException)) {
                    failure = e;
                    LOG.debug("task {}/{} failed, cancelling its scope", name, taskName, e);
                    cancel();
                }
            }
        });
        task.thread = t;
        t.start();
        return task;
    }

    /** Closes {@code c} when the scope is cancelled (or right away if it already is). */
    public void register(AutoCloseable c) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                closeables.add(c);
            }
        }
        if (now) {
            closeQuietly(c);
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Cancels every task: closes what was registered, then interrupts the threads. Idempotent. */
    public void cancel() {
        List<AutoCloseable> toClose;
        List<Task<?>> toInterrupt;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toClose = List.copyOf(closeables);
            toInterrupt = List.copyOf(tasks);
        }
        for (AutoCloseable c : toClose.reversed()) {
            closeQuietly(c);
        }
        for (Task<?> t : toInterrupt) {
            t.interrupt();
        }
    }

    /** Waits until every task has finished or the deadline passes; true when all finished. */
    public boolean join(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Task<?>> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(tasks);
        }
        for (Task<?> t : snapshot) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return allDone();
            }
            try {
                t.result.get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // reported through failure()
            } catch (TimeoutException e) {
                return false;
            }
        }
        return allDone();
    }

    private synchronized boolean allDone() {
        return tasks.stream().allMatch(Task::isDone);
    }

    /** Number of tasks still running. */
    public synchronized long running() {
        return tasks.stream().filter(t -> !t.isDone()).count();
    }

    @Override
    public void close() {
        cancel();
        try {
            join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
