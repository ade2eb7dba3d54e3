package dev.parley.deepgram.internal;

import dev.parley.deepgram.DeepgramException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One client WebSocket (JDK {@code java.net.http}) with the two things the JDK leaves to callers:
 * sends are chained so that at most one is outstanding (callers never block and order is kept),
 * and partial text/binary messages are reassembled before the {@link Handler} sees them.
 * Callbacks run one at a time on the HTTP client's executor.
 */
public final class WsConnection {
    /** What the socket reports; called one at a time, never concurrently. */
    public interface Handler {
        void onText(String message);

        void onBinary(byte[] message);

        /** The server closed the socket with this code and reason. */
        void onClosed(int code, String reason);

        /** The connection broke (I/O error, protocol error). */
        void onFailure(Throwable error);
    }

    private final WebSocket socket;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    private WsConnection(WebSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens the socket, waiting at most {@code timeout} for the handshake.
     *
     * @throws DeepgramException for a refused handshake (see {@link Failures#handshake}) or a connect failure
     */
    public static WsConnection connect(HttpClient client, URI uri, String authorization, Duration timeout,
            Handler handler) {
        CompletableFuture<WebSocket> future = client.newWebSocketBuilder()
                .header("Authorization", authorization)
                .connectTimeout(timeout)
                .buildAsync(uri, new Listener(handler));
        try {
            return new WsConnection(future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            throw Failures.handshake(uri, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DeepgramException("Deepgram did not answer the WebSocket handshake at " + uri.getHost()
                    + " within " + timeout.toMillis() + " ms", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new DeepgramException("interrupted while connecting to Deepgram", true, e);
        }
    }

    /** Queues a text frame; returns at once. */
    public void sendText(String text) {
        chain(text.length(), () -> socket.sendText(text, true));
    }

    /** Queues a binary frame (the buffer is handed over); returns at once. */
    public void sendBinary(ByteBuffer data) {
        chain(data.remaining(), () -> socket.sendBinary(data, true));
    }

    /** Bytes queued but not yet handed to the network. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /** Whether the socket is still open for sending and receiving. */
    public boolean isOpen() {
        return !closing.get() && !socket.isInputClosed() && !socket.isOutputClosed();
    }

    /**
     * Ends the connection: a Close frame after the queued frames, then an abort after {@code grace}
     * whatever the server does. Idempotent; never blocks.
     */
    public void close(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?> closed;
        sendLock.lock();
        try {
            closed = tail.handle((r, e) -> null)
                    .thenCompose(x -> socket.isOutputClosed()
                            ? CompletableFuture.completedFuture(socket)
                            : socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            tail = closed;
        } finally {
            sendLock.unlock();
        }
        // whatever the server does (echoes the close or not), the socket is gone after the grace period
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(socket::abort);
        closed.whenComplete((r, e) -> {
            if (e != null) {
                socket.abort();
            }
        });
    }

    /** Drops the connection at once. */
    public void abort() {
        closing.set(true);
        socket.abort();
    }

    private void chain(int size, Supplier<CompletableFuture<WebSocket>> send) {
        if (closing.get()) {
            return;
        }
        pendingBytes.addAndGet(size);
        sendLock.lock();
        try {
            tail = tail.handle((r, e) -> null).thenCompose(x -> {
                if (socket.isOutputClosed()) {
                    return CompletableFuture.completedFuture(socket);
                }
                return send.get();
            }).whenComplete((r, e) -> pendingBytes.addAndGet(-size));
        } finally {
            sendLock.unlock();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final Handler handler;
        private final StringBuilder text = new StringBuilder();
        private byte @Nullable [] binary;

        Listener(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                handler.onText(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            byte[] sofar = binary;
            if (sofar != null) {
                byte[] joined = new byte[sofar.length + chunk.length];
                System.arraycopy(sofar, 0, joined, 0, sofar.length);
                System.arraycopy(chunk, 0, joined, sofar.length, chunk.length);
                chunk = joined;
            }
            if (last) {
                binary = null;
                handler.onBinary(chunk);
            } else {
                binary = chunk;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            handler.onClosed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            handler.onFailure(error);
        }
    }
}
