package dev.parley.testkit.fakes.elevenlabs;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import java.time.Duration;
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
 * A loopback fake of ElevenLabs' {@code /v1/text-to-speech/{voice_id}/stream-input} on 127.0.0.1 and
 * a free port. The key comes in the {@code xi-api-key} header (a wrong header is refused with 401)
 * or in the first message (otherwise an error and a 1008 close); {@code output_format} must be a
 * raw PCM or {@code ulaw_8000} format and {@code inactivity_timeout} at most 180 (400 otherwise).
 *
 * <pre>{@code
 * try (var el = FakeElevenLabsServer.builder().apiKey("el-test").start()) {
 *     var tts = ElevenLabsTts.builder().baseUrl(el.baseUrl()).apiKey("el-test").voice("v1").build();
 * }
 * }</pre>
 */
public final class FakeElevenLabsServer implements AutoCloseable {
    private static final Set<String> FORMATS = Set.of("pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000",
            "pcm_44100", "ulaw_8000");
    private static final String PATH = "/v1/text-to-speech/{voice_id}/stream-input";

    private record Rejection(int status, @Nullable Duration retryAfter) {}

    private final Javalin app;
    private final Builder config;
    private final Signal signal = new Signal();
    private final AtomicReference<ElevenLabsFault> fault = new AtomicReference<>(ElevenLabsFault.NONE);
    private final List<RecordedStream> streams = new CopyOnWriteArrayList<>();
    private final Map<String, StreamInputSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-elevenlabs-idle");
        t.setDaemon(true);
        return t;
    });
    private volatile @Nullable Rejection rejection;

    private FakeElevenLabsServer(Builder b) {
        this.config = b;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(10)));
            cfg.routes.wsBeforeUpgrade(PATH, this::admit);
            cfg.routes.ws(PATH, ws -> {
                ws.onConnect(ctx -> {
                    var rec = new RecordedStream(ctx.pathParam("voice_id"), ctx.queryParamMap(),
                            Objects.requireNonNullElse(ctx.header("xi-api-key"), ""), signal);
                    String format = Objects.requireNonNullElse(ctx.queryParam("output_format"), "pcm_16000");
                    Duration inactivity = Duration.ofSeconds(Long.parseLong(
                            Objects.requireNonNullElse(ctx.queryParam("inactivity_timeout"), "20")));
                    sessions.put(ctx.sessionId(), new StreamInputSession(settings(), ctx, rec, format, inactivity));
                    streams.add(rec);
                    signal.signal();
                });
                ws.onMessage(ctx -> {
                    StreamInputSession s = sessions.get(ctx.sessionId());
                    if (s != null) {
                        s.onText(ctx.message());
                    }
                });
                ws.onClose(ctx -> {
                    StreamInputSession s = sessions.remove(ctx.sessionId());
                    if (s != null) {
                        boolean byServer = s.out().stopped();
                        s.stop();
                        s.record().closed(ctx.status(), !byServer);
                    }
                });
            });
        });
        app.start("127.0.0.1", 0);
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            sessions.values().forEach(s -> s.checkInactivity(now));
        }, 50, 50, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code ws://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "ws://127.0.0.1:" + app.port();
    }

    /** Every connection so far, in order of opening. */
    public List<RecordedStream> streams() {
        return List.copyOf(streams);
    }

    /** Waits for the {@code index}-th (0-based) connection. */
    public RecordedStream awaitStream(int index, Duration timeout) {
        signal.await(() -> streams.size() > index, timeout, "stream-input connection #" + index);
        return streams.get(index);
    }

    /** Arms a one-shot fault: the next generation suffers it half-way through its audio. */
    public void fault(ElevenLabsFault f) {
        fault.set(f);
    }

    /** Refuses upgrades from now on with {@code status} and, if given, {@code Retry-After}. */
    public void rejectUpgrades(int status, @Nullable Duration retryAfter) {
        this.rejection = new Rejection(status, retryAfter);
    }

    public void acceptUpgrades() {
        this.rejection = null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sessions.values().forEach(StreamInputSession::stop);
        app.stop();
    }

    private void admit(Context ctx) {
        Rejection r = rejection;
        if (r != null) {
            if (r.retryAfter() != null) {
                ctx.header("Retry-After", String.valueOf(r.retryAfter().toSeconds()));
            }
            throw new HttpResponseException(r.status(), "{\"detail\":{\"status\":\"too_many_concurrent_requests\","
                    + "\"message\":\"Too many concurrent requests\"}}");
        }
        String key = ctx.header("xi-api-key");
        if (key != null && !key.equals(config.apiKey)) {
            throw new UnauthorizedResponse("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}");
        }
        String format = Objects.requireNonNullElse(ctx.queryParam("output_format"), "pcm_16000");
        if (!FORMATS.contains(format)) {
            throw new BadRequestResponse("this fake streams raw formats only, not " + format);
        }
        String inactivity = Objects.requireNonNullElse(ctx.queryParam("inactivity_timeout"), "20");
        try {
            long s = Long.parseLong(inactivity);
            if (s < 1 || s > 180) {
                throw new BadRequestResponse("inactivity_timeout must be between 1 and 180");
            }
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("inactivity_timeout must be a number of seconds");
        }
        if (ctx.queryParam("model_id") == null) {
            throw new BadRequestResponse("model_id is required");
        }
    }

    private StreamInputSession.Settings settings() {
        return new StreamInputSession.Settings(config.apiKey, config.acceptUnderscoreKey, config.timeToFirstByte,
                config.speechPerCharacter, config.pacing, config.chunk, config.alignment, config.finalNullOnAudio,
                config.strictSpaces, config.stallFor, fault);
    }

    /** Configures a {@link FakeElevenLabsServer}. */
    public static final class Builder {
        private String apiKey = "el-test-key";
        private boolean acceptUnderscoreKey = true;
        private Duration timeToFirstByte = Duration.ofMillis(90);
        private Duration speechPerCharacter = Duration.ofMillis(60);
        private double pacing = 4;
        private Duration chunk = Duration.ofMillis(200);
        private boolean alignment = true;
        private boolean finalNullOnAudio = true;
        private boolean strictSpaces;
        private Duration stallFor = Duration.ofSeconds(5);

        private Builder() {}

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Whether the older {@code xi_api_key} spelling in the first message is accepted (yes). */
        public Builder acceptUnderscoreKey(boolean accept) {
            this.acceptUnderscoreKey = accept;
            return this;
        }

        /** Delay between a generation's trigger and its first audio (90 ms). */
        public Builder timeToFirstByte(Duration ttfb) {
            this.timeToFirstByte = ttfb;
            return this;
        }

        /** Audio per character (60 ms). */
        public Builder speechPerCharacter(Duration audio) {
            this.speechPerCharacter = audio;
            return this;
        }

        /** How much faster than real time audio goes out (4×). */
        public Builder pacing(double timesRealTime) {
            this.pacing = timesRealTime;
            return this;
        }

        /** Audio per message (200 ms). */
        public Builder chunk(Duration chunk) {
            this.chunk = chunk;
            return this;
        }

        /** Whether audio messages carry alignment (yes). */
        public Builder alignment(boolean on) {
            this.alignment = on;
            return this;
        }

        /** Whether audio messages carry {@code "isFinal": null} (yes) or omit it; unconfirmed which is real. */
        public Builder finalNullOnAudio(boolean on) {
            this.finalNullOnAudio = on;
            return this;
        }

        /** Whether text without a trailing space is refused (no: only recorded as a warning). */
        public Builder strictSpaces(boolean on) {
            this.strictSpaces = on;
            return this;
        }

        /** How long an {@link ElevenLabsFault#STALL} lasts (5 s). */
        public Builder stallFor(Duration stall) {
            this.stallFor = stall;
            return this;
        }

        public FakeElevenLabsServer start() {
            return new FakeElevenLabsServer(this);
        }
    }
}
