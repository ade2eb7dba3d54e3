package dev.parley.testkit.fakes.deepgram;

import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one connection sends, in order, from one virtual thread. An item may be delayed (a
 * processing latency); later items wait behind it, as in a real pipeline. {@link #stall} holds all
 * output for a while.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private sealed interface Op {
        record Text(String json) implements Op {}

        record Binary(byte[] data) implements Op {}

        record Close(int code, String reason) implements Op {}

        record Drop() implements Op {}

        record Stop() implements Op {}
    }

    private record Entry(long releaseAt, Op op, @Nullable Consumer<Long> onSent) {}

    private final WsContext ctx;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile long stallUntil = Long.MIN_VALUE;
    private volatile boolean stallSet;
    private volatile boolean done;

    Outbox(WsContext ctx, String name) {
        this.ctx = ctx;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    void text(String json, Duration delay, @Nullable Consumer<Long> onSent) {
        put(new Op.Text(json), delay, onSent);
    }

    void text(String json) {
        put(new Op.Text(json), Duration.ZERO, null);
    }

    void binary(byte[] data, @Nullable Consumer<Long> onSent) {
        put(new Op.Binary(data), Duration.ZERO, onSent);
    }

    void close(int code, String reason, Duration delay) {
        put(new Op.Close(code, reason), delay, null);
    }

    /** Drops the TCP connection without a close frame, after what is queued. */
    void drop() {
        put(new Op.Drop(), Duration.ZERO, null);
    }

    /** Holds all output (queued and later) for {@code duration} from now. */
    void stall(Duration duration) {
        stallUntil = System.nanoTime() + duration.toNanos();
        stallSet = true;
        LockSupport.unpark(thread);
    }

    /** Stops sending; what is queued is discarded. */
    void stop() {
        done = true;
        queue.clear();
        queue.add(new Entry(0, new Op.Stop(), null));
        LockSupport.unpark(thread);
    }

    boolean stopped() {
        return done;
    }

    private void put(Op op, Duration delay, @Nullable Consumer<Long> onSent) {
        if (!done) {
            queue.add(new Entry(System.nanoTime() + delay.toNanos(), op, onSent));
        }
    }

    private void run() {
        try {
            while (!done) {
                Entry e = queue.take();
                parkUntil(e.releaseAt());
                while (stallSet && System.nanoTime() - stallUntil < 0 && !done) {
                    parkUntil(stallUntil);
                }
                if (done) {
                    return;
                }
                try {
                    switch (e.op()) {
                        case Op.Text(var json) -> written(c -> ctx.session.sendText(json, c));
                        case Op.Binary(var data) -> written(c -> ctx.session.sendBinary(ByteBuffer.wrap(data), c));
                        case Op.Close(var code, var reason) -> {
                            ctx.closeSession(code, reason);
                            done = true;
                        }
                        case Op.Drop() -> {
                            ctx.session.disconnect();
                            done = true;
                        }
                        case Op.Stop() -> done = true;
                    }
                } catch (RuntimeException ex) {
                    log.debug("fake Deepgram: send failed: {}", ex.toString());
                    done = true;
                }
                if (e.onSent() != null) {
                    e.onSent().accept(System.nanoTime());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends and waits until the frame is written, so a later drop or close never overtakes it. */
    private static void written(Consumer<Callback> send) {
        var done = new Callback.Completable();
        send.accept(done);
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("write failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !done) {
            LockSupport.parkNanos(this, left);
        }
    }
}
