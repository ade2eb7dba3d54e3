package dev.parley.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A JDK client WebSocket with ordered, non-blocking sends (each send is chained after the previous
 * one, as the JDK allows only one outstanding) and whole text messages delivered to a
 * {@link Handler}, one callback at a time.
 */
public final class WsConnection {
    /** What the socket reports; never called concurrently. */
    public interface Handler {
        void onText(String message);

        /** The server closed the socket. */
        void onClosed(int code, String reason);

        /** The connection broke (I/O or protocol error). */
        void onFailure(Throwable error);
    }

    private final WebSocket socket;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    private final Listener listener;

    private WsConnection(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    /** Starts the handshake; the future fails with the JDK's exception (e.g. a handshake refusal). */
    public static CompletableFuture<WsConnection> connect(HttpClient client, URI uri, Map<String, String> headers,
            Duration timeout, Handler handler) {
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(b::header);
        Listener listener = new Listener(handler);
        return b.buildAsync(uri, listener).thenApply(ws -> new WsConnection(ws, listener));
    }

    /** Queues a text frame; returns at once. Ignored once closing. */
    public void sendText(String text) {
        if (closing.get()) {
            return;
        }
        sendLock.lock();
        try {
            tail = tail.handle((r, e) -> null).thenCompose(x -> socket.isOutputClosed()
                    ? CompletableFuture.completedFuture(socket) : socket.sendText(text, true));
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a ping; the future completes when a pong arrives (any pong), or fails after {@code timeout}.
     * Finds half-open connections a dropped peer leaves behind.
     */
    public CompletableFuture<Void> ping(Duration timeout) {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        listener.pongs.add(pong);
        sendLock.lock();
        try {
            tail = tail.handle((r, e) -> null).thenCompose(x -> socket.isOutputClosed()
                    ? CompletableFuture.completedFuture(socket) : socket.sendPing(ByteBuffer.allocate(0)));
        } finally {
            sendLock.unlock();
        }
        return pong.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        return !closing.get() && !socket.isInputClosed() && !socket.isOutputClosed();
    }

    /** A close frame after what is queued, then an abort after {@code grace} whatever the server does. */
    public void close(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        sendLock.lock();
        try {
            tail = tail.handle((r, e) -> null).thenCompose(x -> socket.isOutputClosed()
                    ? CompletableFuture.completedFuture(socket) : socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            tail.whenComplete((r, e) -> {
                if (e != null) {
                    socket.abort();
                }
            });
        } finally {
            sendLock.unlock();
        }
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(socket::abort);
    }

    /** Drops the connection at once. */
    public void abort() {
        closing.set(true);
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final Handler handler;
        private final StringBuilder text = new StringBuilder();
        private final java.util.Queue<CompletableFuture<Void>> pongs = new java.util.concurrent.ConcurrentLinkedQueue<>();

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
            webSocket.request(1); // neither vendor sends binary frames on these sockets
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            CompletableFuture<Void> p;
            while ((p = pongs.poll()) != null) {
                p.complete(null);
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
