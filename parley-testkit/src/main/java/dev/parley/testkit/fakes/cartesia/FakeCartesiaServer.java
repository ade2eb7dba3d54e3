package dev.parley.testkit.fakes.cartesia;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A loopback fake of Cartesia's {@code /tts/websocket} on 127.0.0.1 and a free port. It requires a
 * key ({@code X-API-Key}, {@code Authorization: Bearer}, or the {@code api_key}/{@code access_token}
 * query parameter; 401 otherwise) and a version ({@code Cartesia-Version} or
 * {@code cartesia_version}; 400 otherwise), multiplexes contexts on one socket, and can refuse
 * upgrades (429 with {@code Retry-After}), inject one fault mid-audio ({@link CartesiaFault}) and
 * close idle sockets.
 *
 * <pre>{@code
 * try (var cartesia = FakeCartesiaServer.builder().apiKey("ct-test").start()) {
 *     var tts = CartesiaTts.builder().baseUrl(cartesia.baseUrl()).apiKey("ct-test").voice("v1").build();
 * }
 * }</pre>
 */
public final class FakeCartesiaServer implements AutoCloseable {
    private record Rejection(int status, @Nullable Duration retryAfter) {}

    private final Javalin app;
    private final String apiKey;
    private final Builder config;
    private final Signal signal = new Signal();
    private final AtomicReference<CartesiaFault> fault = new AtomicReference<>(CartesiaFault.NONE);
    private final List<RecordedConnection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, CartesiaSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-cartesia-idle");
        t.setDaemon(true);
        return t;
    });
    private volatile @Nullable Rejection rejection;

    private FakeCartesiaServer(Builder b) {
        this.apiKey = b.apiKey;
        this.config = b;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(10)));
            cfg.routes.wsBeforeUpgrade("/tts/websocket", this::admit);
            cfg.routes.ws("/tts/websocket", ws -> {
                ws.onConnect(ctx -> {
                    var rec = new RecordedConnection(headers(ctx), ctx.queryParamMap(), signal);
                    sessions.put(ctx.sessionId(), new CartesiaSession(settings(), ctx, rec));
                    connections.add(rec);
                    signal.signal();
                });
                ws.onMessage(ctx -> {
                    CartesiaSession s = sessions.get(ctx.sessionId());
                    if (s != null) {
                        s.onText(ctx.message());
                    }
                });
                ws.onClose(ctx -> {
                    CartesiaSession s = sessions.remove(ctx.sessionId());
                    if (s != null) {
                        s.stop();
                        s.record().closed(ctx.status());
                    }
                });
            });
        });
        app.start("127.0.0.1", 0);
        timer.scheduleAtFixedRate(this::closeIdle, 100, 100, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code ws://127.0.0.1:<port>}; the endpoint is {@code /tts/websocket}. */
    public String baseUrl() {
        return "ws://127.0.0.1:" + app.port();
    }

    /** Every connection so far, in order of opening. */
    public List<RecordedConnection> connections() {
        return List.copyOf(connections);
    }

    /** Waits for the {@code index}-th (0-based) connection. */
    public RecordedConnection awaitConnection(int index, Duration timeout) {
        signal.await(() -> connections.size() > index, timeout, "connection #" + index);
        return connections.get(index);
    }

    /** Arms a one-shot fault: the next generation with audio suffers it half-way through. */
    public void fault(CartesiaFault f) {
        fault.set(f);
    }

    /** Refuses upgrades from now on with {@code status} (401, 429, 503, ...) and, if given, {@code Retry-After}. */
    public void rejectUpgrades(int status, @Nullable Duration retryAfter) {
        this.rejection = new Rejection(status, retryAfter);
    }

    public void acceptUpgrades() {
        this.rejection = null;
    }

    /** Drops every open connection at once (no close frame). */
    public void dropAll() {
        sessions.values().forEach(s -> s.out().drop());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sessions.values().forEach(CartesiaSession::stop);
        app.stop();
    }

    private void admit(Context ctx) {
        Rejection r = rejection;
        if (r != null) {
            if (r.retryAfter() != null) {
                ctx.header("Retry-After", String.valueOf(r.retryAfter().toSeconds()));
            }
            throw new HttpResponseException(r.status(), r.status() == 429
                    ? "{\"error\":\"Too many requests: concurrency limit reached\"}" : "{\"error\":\"refused\"}");
        }
        String key = Objects.requireNonNullElse(ctx.header("X-API-Key"), "");
        String bearer = Objects.requireNonNullElse(ctx.header("Authorization"), "");
        boolean authorized = key.equals(apiKey) || bearer.equals("Bearer " + apiKey)
                || apiKey.equals(ctx.queryParam("api_key")) || apiKey.equals(ctx.queryParam("access_token"));
        if (!authorized) {
            throw new UnauthorizedResponse("{\"error\":\"Invalid API key\"}");
        }
        if (ctx.header("Cartesia-Version") == null && ctx.queryParam("cartesia_version") == null) {
            throw new BadRequestResponse("{\"error\":\"Cartesia-Version header is required\"}");
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (CartesiaSession s : sessions.values()) {
            if (now - s.lastActivity() > config.idleTimeout.toNanos()) {
                s.out().close(1000, "idle timeout");
            }
        }
    }

    private static Map<String, String> headers(WsContext ctx) {
        Map<String, String> h = new HashMap<>();
        for (String name : List.of("X-API-Key", "Authorization", "Cartesia-Version")) {
            String v = ctx.header(name);
            if (v != null) {
                h.put(name, v);
            }
        }
        return h;
    }

    private CartesiaSession.Settings settings() {
        return new CartesiaSession.Settings(config.models, config.timeToFirstByte, config.speechPerCharacter,
                config.pacing, config.chunk, config.bufferDelay, Duration.ofSeconds(1), config.doneAfterCancel,
                config.stallFor, fault);
    }

    /** Configures a {@link FakeCartesiaServer}. */
    public static final class Builder {
        private String apiKey = "ct-test-key";
        private Set<String> models = Set.of("sonic-3", "sonic-3.5", "sonic-latest", "sonic-2", "sonic-turbo");
        private Duration timeToFirstByte = Duration.ofMillis(90);
        private Duration speechPerCharacter = Duration.ofMillis(60);
        private double pacing = 4;
        private Duration chunk = Duration.ofMillis(40);
        private Duration bufferDelay = Duration.ofMillis(3000);
        private boolean doneAfterCancel;
        private Duration stallFor = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofMinutes(5);

        private Builder() {}

        /** The key clients must present ({@code ct-test-key}). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Model ids accepted; others get a {@code model_not_found} error. */
        public Builder models(Set<String> models) {
            this.models = Set.copyOf(models);
            return this;
        }

        /** Delay between a generation's trigger and its first chunk (90 ms). */
        public Builder timeToFirstByte(Duration ttfb) {
            this.timeToFirstByte = ttfb;
            return this;
        }

        /** Audio per character of text (60 ms). */
        public Builder speechPerCharacter(Duration audio) {
            this.speechPerCharacter = audio;
            return this;
        }

        /** How much faster than real time audio goes out (4×). */
        public Builder pacing(double timesRealTime) {
            this.pacing = timesRealTime;
            return this;
        }

        /** Audio per {@code chunk} message (40 ms). */
        public Builder chunk(Duration chunk) {
            this.chunk = chunk;
            return this;
        }

        /** {@code max_buffer_delay_ms} when an input does not say (3 s, Cartesia's documented default). */
        public Builder bufferDelay(Duration delay) {
            this.bufferDelay = delay;
            return this;
        }

        /** Whether a cancel is answered by a {@code done} (no by default; unconfirmed either way). */
        public Builder doneAfterCancel(boolean send) {
            this.doneAfterCancel = send;
            return this;
        }

        /** How long a {@link CartesiaFault#STALL} lasts (5 s). */
        public Builder stallFor(Duration stall) {
            this.stallFor = stall;
            return this;
        }

        /** Sockets without client messages for this long are closed (5 min, as Cartesia). */
        public Builder idleTimeout(Duration idle) {
            this.idleTimeout = idle;
            return this;
        }

        public FakeCartesiaServer start() {
            return new FakeCartesiaServer(this);
        }
    }
}
