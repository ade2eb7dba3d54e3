package dev.parley.cartesia.internal;

import dev.parley.provider.WsConnection;
import dev.parley.cartesia.CartesiaException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code /tts/websocket} connection a provider shares between its streams. Server messages
 * are routed to the stream that registered their {@code context_id}; messages for unknown (e.g.
 * cancelled) contexts are dropped. When the connection breaks, every registered context is told
 * and the socket reconnects in the background (once; later, lazily on the next use).
 */
public final class CartesiaSocket implements AutoCloseable {
    /** What a context hears; called from the socket's callback thread, one at a time. */
    public interface Listener {
        void onMessage(Messages.Server message);

        /** The connection is gone; the context cannot continue. */
        void onLost(CartesiaException error);
    }

    private static final Logger log = LoggerFactory.getLogger(CartesiaSocket.class);
    private static final Duration CLOSE_GRACE = Duration.ofMillis(500);
    private static final long MIN_LIFETIME_FOR_AUTO_RECONNECT = Duration.ofSeconds(1).toNanos();

    private final HttpClient http;
    private final URI uri;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Map<String, Listener> contexts = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private @Nullable WsConnection current;
    private @Nullable CompletableFuture<WsConnection> pending;
    private long generation;
    private long openedAt;
    private int connects;
    private volatile boolean closed;
    private volatile @Nullable CompletableFuture<?> probing;

    public CartesiaSocket(HttpClient http, URI uri, Map<String, String> headers, Duration connectTimeout) {
        this.http = http;
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.connectTimeout = connectTimeout;
    }

    /** Starts connecting unless open or already connecting; returns at once. */
    public void connectInBackground() {
        lock.lock();
        try {
            if (!closed && (current == null || !current.isOpen()) && pending == null) {
                pending = start();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The open connection, connecting (and waiting for the handshake) if needed.
     *
     * @throws CartesiaException if the handshake is refused or times out
     */
    public WsConnection connection() {
        CompletableFuture<?> p = probing;
        if (p != null) {
            try {
                p.handle((r, e) -> null).get(); // a suspect connection: wait for the verdict (bounded by its timeout)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CartesiaException("interrupted while checking the Cartesia connection", true, e);
            } catch (ExecutionException e) {
                // handled above
            }
        }
        CompletableFuture<WsConnection> f;
        lock.lock();
        try {
            if (closed) {
                throw new CartesiaException("the Cartesia provider is closed", false, null);
            }
            WsConnection c = current;
            if (c != null && c.isOpen()) {
                return c;
            }
            if (pending == null) {
                pending = start();
            }
            f = pending;
        } finally {
            lock.unlock();
        }
        try {
            return f.get(connectTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw Failures.handshake(uri, cause);
        } catch (TimeoutException e) {
            throw new CartesiaException("Cartesia did not answer the WebSocket handshake at " + uri.getHost()
                    + " within " + connectTimeout.toMillis() + " ms", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CartesiaException("interrupted while connecting to Cartesia", true, e);
        }
    }

    /** How many handshakes have succeeded (1 while the first connection lives). */
    public int connects() {
        lock.lock();
        try {
            return connects;
        } finally {
            lock.unlock();
        }
    }

    /** Sends on the current connection if it is open; never connects or blocks. Returns whether it was sent. */
    public boolean sendIfOpen(String text) {
        WsConnection c;
        lock.lock();
        try {
            c = current;
        } finally {
            lock.unlock();
        }
        if (c != null && c.isOpen()) {
            c.sendText(text);
            return true;
        }
        return false;
    }

    /**
     * Checks the connection after a stall: a ping that gets no pong within {@code timeout} means the
     * connection is half-open (the peer vanished): it is dropped and reopened.
     */
    public void probe(Duration timeout) {
        WsConnection c;
        long gen;
        lock.lock();
        try {
            c = current;
            gen = generation;
        } finally {
            lock.unlock();
        }
        if (c == null || !c.isOpen()) {
            return;
        }
        CompletableFuture<Void> ping = c.ping(timeout);
        CompletableFuture<Void> verdict = ping.handle((r, e) -> {
            if (e != null) {
                broken(gen, new CartesiaException("lost the connection to Cartesia (no answer to a ping within "
                        + timeout.toMillis() + " ms)", true, null), true);
            }
            return null;
        });
        probing = verdict;
        verdict.whenComplete((r, e) -> {
            if (probing == verdict) {
                probing = null;
            }
        });
    }

    public void register(String contextId, Listener listener) {
        contexts.put(contextId, listener);
    }

    public void unregister(String contextId) {
        contexts.remove(contextId);
    }

    @Override
    public void close() {
        WsConnection c;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
            current = null;
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.close(CLOSE_GRACE);
        }
        lostAll(new CartesiaException("the Cartesia provider was closed", false, null));
    }

    private CompletableFuture<WsConnection> start() {
        long gen = ++generation;
        CompletableFuture<WsConnection> f = WsConnection.connect(http, uri, headers, connectTimeout, new Handler(gen));
        f.whenComplete((c, e) -> {
            boolean abort = false;
            lock.lock();
            try {
                if (pending == f) {
                    pending = null;
                }
                if (c != null) {
                    if (closed || gen != generation) {
                        abort = true;
                    } else {
                        current = c;
                        openedAt = System.nanoTime();
                        connects++;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (abort && c != null) {
                c.abort();
            }
            if (e != null) {
                log.debug("Cartesia connect failed: {}", e.toString());
            }
        });
        return f;
    }

    /** The connection of generation {@code gen} is gone: tell its contexts, maybe reconnect. */
    private void broken(long gen, CartesiaException error, boolean abort) {
        WsConnection c;
        boolean reconnect;
        lock.lock();
        try {
            if (gen != generation || closed) {
                log.debug("Cartesia: ignoring the end of connection #{} (current #{}): {}", gen, generation,
                        error.getMessage());
                return; // an old connection, already handled
            }
            generation++; // later callbacks of this connection are ignored
            c = current;
            current = null;
            reconnect = System.nanoTime() - openedAt > MIN_LIFETIME_FOR_AUTO_RECONNECT;
        } finally {
            lock.unlock();
        }
        if (abort && c != null) {
            c.abort();
        }
        log.info("Cartesia connection lost: {}", error.getMessage());
        lostAll(error);
        if (reconnect) {
            connectInBackground();
        }
    }

    private void lostAll(CartesiaException error) {
        for (String id : List.copyOf(contexts.keySet())) {
            Listener l = contexts.remove(id);
            if (l != null) {
                l.onLost(error);
            }
        }
    }

    private final class Handler implements WsConnection.Handler {
        private final long gen;

        Handler(long gen) {
            this.gen = gen;
        }

        @Override
        public void onText(String text) {
            Messages.Server m;
            try {
                m = Messages.parse(text);
            } catch (Messages.MalformedException e) {
                // cannot tell whose it was: the connection is no longer trustworthy
                broken(gen, Failures.malformed(e.getMessage()), true);
                return;
            }
            Listener l = contexts.get(m.contextId());
            if (l != null) {
                l.onMessage(m);
            } else {
                log.debug("Cartesia message for unknown context {} ignored", m.contextId());
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            broken(gen, Failures.lost(code, reason), false);
        }

        @Override
        public void onFailure(Throwable error) {
            broken(gen, Failures.lost(error), false);
        }
    }
}
