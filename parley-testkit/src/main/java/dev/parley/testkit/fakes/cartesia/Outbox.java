package dev.parley.testkit.fakes.cartesia;

import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything one connection sends, in order, from one virtual thread (Jetty sessions want one writer). */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private sealed interface Op {
        record Text(String json, @Nullable LongConsumer onSent) implements Op {}

        record Close(int code, String reason) implements Op {}

        record Drop() implements Op {}

        record Stop() implements Op {}
    }

    private final WsContext ctx;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private volatile boolean done;

    Outbox(WsContext ctx, String name) {
        this.ctx = ctx;
        Thread.ofVirtual().name(name).start(this::run);
    }

    /** Queues a text frame; {@code onSent} gets the {@code System.nanoTime()} just before it goes out. */
    void text(String json, @Nullable LongConsumer onSent) {
        put(new Op.Text(json, onSent));
    }

    void text(String json) {
        put(new Op.Text(json, null));
    }

    void close(int code, String reason) {
        put(new Op.Close(code, reason));
    }

    /** Drops the TCP connection without a close frame, after what is queued. */
    void drop() {
        put(new Op.Drop());
    }

    void stop() {
        done = true;
        queue.clear();
        queue.add(new Op.Stop());
    }

    /** Sends and waits until the frame is written, so a later drop or close never overtakes it. */
    private void written(String json) {
        var done = new Callback.Completable();
        ctx.session.sendText(json, done);
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("send failed: " + e, e);
        }
    }

    private void put(Op op) {
        if (!done) {
            queue.add(op);
        }
    }

    private void run() {
        try {
            while (!done) {
                Op op = queue.take();
                try {
                    switch (op) {
                        case Op.Text(var json, var onSent) -> {
                            if (onSent != null) {
                                onSent.accept(System.nanoTime()); // the moment the frame starts out
                            }
                            written(json);
                        }
                        case Op.Close(var code, var reason) -> {
                            ctx.closeSession(code, reason);
                            done = true;
                        }
                        case Op.Drop() -> {
                            log.debug("fake: dropping the connection");
                            ctx.session.disconnect();
                            done = true;
                        }
                        case Op.Stop() -> done = true;
                    }
                } catch (RuntimeException e) {
                    log.debug("fake: send failed: {}", e.toString());
                    done = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
