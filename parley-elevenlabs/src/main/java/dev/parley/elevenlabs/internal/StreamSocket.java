package dev.parley.elevenlabs.internal;

import dev.parley.provider.WsConnection;
import dev.parley.elevenlabs.ElevenLabsException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One {@code stream-input} socket with its BOS already sent. It can wait as a warm spare before a
 * stream claims it: until {@link #attach} the socket's events are held, and a spare that was
 * closed meanwhile is not {@link #usable()}. Tracks when it last sent, for keep-alives.
 */
public final class StreamSocket {
    private final URI uri;
    private final WsConnection connection;
    private final Relay relay;
    private volatile long lastSent = System.nanoTime();

    private StreamSocket(URI uri, WsConnection connection, Relay relay) {
        this.uri = uri;
        this.connection = connection;
        this.relay = relay;
    }

    /** Connects and sends the BOS message; the future fails with an {@link ElevenLabsException}. */
    public static CompletableFuture<StreamSocket> connectAsync(HttpClient http, URI uri, Map<String, String> headers,
            Duration timeout, String bos) {
        Relay relay = new Relay();
        return WsConnection.connect(http, uri, headers, timeout, relay)
                .handle((c, e) -> {
                    if (e != null) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        throw Failures.handshake(uri, cause);
                    }
                    var s = new StreamSocket(uri, c, relay);
                    s.send(bos);
                    return s;
                });
    }

    /**
     * Connects and sends BOS, waiting for the handshake.
     *
     * @throws ElevenLabsException when refused or not answered in time
     */
    public static StreamSocket connect(HttpClient http, URI uri, Map<String, String> headers, Duration timeout,
            String bos) {
        return await(connectAsync(http, uri, headers, timeout, bos), uri, timeout);
    }

    /** Waits for a connect started by {@link #connectAsync}. */
    public static StreamSocket await(CompletableFuture<StreamSocket> f, URI uri, Duration timeout) {
        try {
            return f.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ElevenLabsException el) {
                throw el;
            }
            throw Failures.handshake(uri, cause);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ElevenLabsException("ElevenLabs did not answer the WebSocket handshake at " + uri.getHost()
                    + " within " + timeout.toMillis() + " ms", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElevenLabsException("interrupted while connecting to ElevenLabs", true, e);
        }
    }

    public URI uri() {
        return uri;
    }

    public void send(String json) {
        lastSent = System.nanoTime();
        connection.sendText(json);
    }

    /** Sends a {@code " "} keep-alive if nothing went out for {@code every}. */
    public void keepAliveIfIdle(Duration every) {
        if (System.nanoTime() - lastSent > every.toNanos() && usable()) {
            send(Messages.keepAlive());
        }
    }

    /** Open, and (for a spare) not closed by the server while it waited. */
    public boolean usable() {
        return connection.isOpen() && !relay.ended();
    }

    /** Routes the socket's events to {@code handler}, first replaying an end that came before. */
    public void attach(WsConnection.Handler handler) {
        relay.attach(handler);
    }

    public void close(Duration grace) {
        connection.close(grace);
    }

    public void abort() {
        connection.abort();
    }

    /** Holds the end of a socket until a handler is attached; then forwards everything. */
    private static final class Relay implements WsConnection.Handler {
        private final ReentrantLock lock = new ReentrantLock();
        private WsConnection.@Nullable Handler target;
        private @Nullable Runnable heldEnd;
        private volatile boolean ended;

        boolean ended() {
            return ended;
        }

        void attach(WsConnection.Handler handler) {
            Runnable replay;
            lock.lock();
            try {
                target = handler;
                replay = heldEnd;
                heldEnd = null;
            } finally {
                lock.unlock();
            }
            if (replay != null) {
                replay.run();
            }
        }

        @Override
        public void onText(String message) {
            WsConnection.Handler t = target;
            if (t != null) {
                t.onText(message);
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            ended = true;
            deliver(h -> h.onClosed(code, reason));
        }

        @Override
        public void onFailure(Throwable error) {
            ended = true;
            deliver(h -> h.onFailure(error));
        }

        private void deliver(java.util.function.Consumer<WsConnection.Handler> event) {
            WsConnection.Handler t;
            lock.lock();
            try {
                t = target;
                if (t == null) {
                    heldEnd = () -> event.accept(java.util.Objects.requireNonNull(target));
                    return;
                }
            } finally {
                lock.unlock();
            }
            event.accept(t);
        }
    }
}
