package dev.parley.testkit.fakes.deepgram;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A loopback fake of Deepgram's streaming endpoints on 127.0.0.1 and a free port: live
 * transcription ({@code GET /v1/listen}) and Aura speech ({@code GET /v1/speak}), speaking the
 * real wire protocols. It checks {@code Authorization: Token <key>} (401 otherwise), validates
 * parameters (400), can refuse upgrades (e.g. 429 with {@code Retry-After}), enforces the no-audio
 * timeout ({@code 1011 NET-0001}), and records every connection.
 *
 * <pre>{@code
 * try (var dg = FakeDeepgramServer.builder().apiKey("dg-test")
 *         .utterances("I'd like a large pizza").finalLatency(Duration.ofMillis(150)).start()) {
 *     var stt = DeepgramStt.builder().baseUrl(dg.baseUrl()).apiKey("dg-test").build();
 * }
 * }</pre>
 */
public final class FakeDeepgramServer implements AutoCloseable {
    private static final Set<String> SPEAK_ENCODINGS = Set.of("linear16", "mulaw", "alaw");
    private static final Set<String> SPEAK_RATES = Set.of("8000", "16000", "24000", "32000", "48000");

    private record Rejection(int status, @Nullable Duration retryAfter) {}

    private final Javalin app;
    private final String apiKey;
    private final Settings base;
    private final List<RecordedListen> listens = new CopyOnWriteArrayList<>();
    private final List<RecordedSpeak> speaks = new CopyOnWriteArrayList<>();
    private final Map<String, ListenSession> listenSessions = new ConcurrentHashMap<>();
    private final Map<String, SpeakSession> speakSessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-deepgram-idle");
        t.setDaemon(true);
        return t;
    });
    private final Changes changes = new Changes();
    private volatile ListenFault listenFault;
    private volatile SpeakFault speakFault;
    private volatile @Nullable Rejection rejection;

    private FakeDeepgramServer(Builder b) {
        this.apiKey = b.apiKey;
        this.base = b.settings();
        this.listenFault = b.listenFault;
        this.speakFault = b.speakFault;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(5)));
            config.routes.wsBeforeUpgrade("/v1/listen", ctx -> {
                admit(ctx);
                if (ctx.queryParam("encoding") != null && ctx.queryParam("sample_rate") == null) {
                    throw new BadRequestResponse("sample_rate is required when encoding is set");
                }
            });
            config.routes.wsBeforeUpgrade("/v1/speak", ctx -> {
                admit(ctx);
                String encoding = Objects.requireNonNullElse(ctx.queryParam("encoding"), "linear16");
                String rate = Objects.requireNonNullElse(ctx.queryParam("sample_rate"), "24000");
                if (!SPEAK_ENCODINGS.contains(encoding) || !SPEAK_RATES.contains(rate)) {
                    throw new BadRequestResponse("unsupported encoding/sample_rate " + encoding + "/" + rate);
                }
            });
            config.routes.ws("/v1/listen", ws -> {
                ws.onConnect(ctx -> {
                    var rec = new RecordedListen(ctx.queryParamMap(), auth(ctx));
                    listenSessions.put(ctx.sessionId(), new ListenSession(settings(), ctx, rec));
                    listens.add(rec);
                    changes.signal();
                });
                ws.onBinaryMessage(ctx -> {
                    ListenSession s = listenSessions.get(ctx.sessionId());
                    if (s != null) {
                        s.onBinary(ctx.data());
                    }
                });
                ws.onMessage(ctx -> {
                    ListenSession s = listenSessions.get(ctx.sessionId());
                    if (s != null) {
                        s.onText(ctx.message());
                    }
                });
                ws.onClose(ctx -> {
                    ListenSession s = listenSessions.remove(ctx.sessionId());
                    if (s != null) {
                        s.stop();
                        s.record().closed(ctx.status(), Objects.requireNonNullElse(ctx.reason(), ""));
                    }
                });
            });
            config.routes.ws("/v1/speak", ws -> {
                ws.onConnect(ctx -> {
                    var rec = new RecordedSpeak(ctx.queryParamMap(), auth(ctx));
                    speakSessions.put(ctx.sessionId(), new SpeakSession(settings(), ctx, rec));
                    speaks.add(rec);
                    changes.signal();
                });
                ws.onBinaryMessage(ctx -> {
                    SpeakSession s = speakSessions.get(ctx.sessionId());
                    if (s != null) {
                        s.onBinary();
                    }
                });
                ws.onMessage(ctx -> {
                    SpeakSession s = speakSessions.get(ctx.sessionId());
                    if (s != null) {
                        s.onText(ctx.message());
                    }
                });
                ws.onClose(ctx -> {
                    SpeakSession s = speakSessions.remove(ctx.sessionId());
                    if (s != null) {
                        s.stop();
                        s.record().closed(ctx.status());
                    }
                });
            });
        });
        app.start("127.0.0.1", 0);
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            listenSessions.values().forEach(s -> s.checkIdle(now));
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL for clients: {@code ws://127.0.0.1:<port>} (paths {@code /v1/listen}, {@code /v1/speak}). */
    public String baseUrl() {
        return "ws://127.0.0.1:" + app.port();
    }

    /** Every listen connection so far, in order of opening. */
    public List<RecordedListen> listens() {
        return List.copyOf(listens);
    }

    /** Every speak connection so far, in order of opening. */
    public List<RecordedSpeak> speaks() {
        return List.copyOf(speaks);
    }

    /** Waits for the {@code index}-th (0-based) listen connection. */
    public RecordedListen awaitListen(int index, Duration timeout) {
        changes.await(() -> listens.size() > index, timeout, "listen connection #" + index);
        return listens.get(index);
    }

    /** Waits for the {@code index}-th (0-based) speak connection. */
    public RecordedSpeak awaitSpeak(int index, Duration timeout) {
        changes.await(() -> speaks.size() > index, timeout, "speak connection #" + index);
        return speaks.get(index);
    }

    /** Faults for connections opened from now on. */
    public void listenFault(ListenFault fault) {
        this.listenFault = fault;
    }

    public void speakFault(SpeakFault fault) {
        this.speakFault = fault;
    }

    /** Refuses upgrades from now on with {@code status} (e.g. 429) and, if given, a {@code Retry-After}. */
    public void rejectUpgrades(int status, @Nullable Duration retryAfter) {
        this.rejection = new Rejection(status, retryAfter);
    }

    public void acceptUpgrades() {
        this.rejection = null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        listenSessions.values().forEach(ListenSession::stop);
        speakSessions.values().forEach(SpeakSession::stop);
        app.stop();
    }

    private void admit(Context ctx) {
        String authorization = ctx.header("Authorization");
        Rejection r = rejection;
        if (r != null) {
            if (r.retryAfter() != null) {
                ctx.header("Retry-After", String.valueOf(r.retryAfter().toSeconds()));
            }
            throw new HttpResponseException(r.status(), "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":"
                    + "\"Too many requests. Please try again later\"}");
        }
        if (authorization == null || !(authorization.equals("Token " + apiKey)
                || authorization.equals("Bearer " + apiKey))) {
            throw new UnauthorizedResponse("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}");
        }
    }

    private static String auth(WsContext ctx) {
        return Objects.requireNonNullElse(ctx.header("Authorization"), "");
    }

    private Settings settings() {
        return new Settings(base.utterances(), base.finalLatency(), base.interimEvery(), base.idleTimeout(),
                base.silenceFinalEvery(), base.speechThresholdDbfs(), listenFault, base.timeToFirstByte(),
                base.speechPerCharacter(), base.speakPacing(), base.speakFrame(), base.clearDelay(),
                base.maxFlushesPerMinute(), speakFault, base.stallFor());
    }

    /** Configures a {@link FakeDeepgramServer}. */
    public static final class Builder {
        private String apiKey = "dg-test-key";
        private final List<String> utterances = new ArrayList<>();
        private Duration finalLatency = Duration.ofMillis(150);
        private Duration interimEvery = Duration.ofMillis(500);
        private Duration idleTimeout = Duration.ofSeconds(10);
        private Duration silenceFinalEvery = Duration.ofSeconds(3);
        private double speechThresholdDbfs = -40;
        private ListenFault listenFault = ListenFault.NONE;
        private Duration timeToFirstByte = Duration.ofMillis(90);
        private Duration speechPerCharacter = Duration.ofMillis(60);
        private double speakPacing = 4;
        private Duration speakFrame = Duration.ofMillis(40);
        private Duration clearDelay = Duration.ofMillis(20);
        private int maxFlushesPerMinute = 20;
        private SpeakFault speakFault = SpeakFault.NONE;
        private Duration stallFor = Duration.ofSeconds(5);

        private Builder() {}

        /** The key clients must present ({@code dg-test-key} by default). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** What the caller says: the n-th stretch of speech on a connection is the n-th text (cycling). */
        public Builder utterances(String... texts) {
            utterances.addAll(List.of(texts));
            return this;
        }

        /** Delay between the trigger of a final (endpointing, Finalize, CloseStream) and sending it (150 ms). */
        public Builder finalLatency(Duration latency) {
            this.finalLatency = latency;
            return this;
        }

        /** Audio time between interim results during speech (500 ms). */
        public Builder interimEvery(Duration audio) {
            this.interimEvery = audio;
            return this;
        }

        /** Wall-clock time without audio or KeepAlive before close 1011 NET-0001 (10 s, as Deepgram). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Audio time of silence between empty final results (3 s). */
        public Builder silenceFinalEvery(Duration audio) {
            this.silenceFinalEvery = audio;
            return this;
        }

        /** Level above which a 10 ms block is speech (-40 dBFS). */
        public Builder speechThresholdDbfs(double dbfs) {
            this.speechThresholdDbfs = dbfs;
            return this;
        }

        public Builder listenFault(ListenFault fault) {
            this.listenFault = fault;
            return this;
        }

        /** Delay between a Flush and its first audio (90 ms). */
        public Builder timeToFirstByte(Duration ttfb) {
            this.timeToFirstByte = ttfb;
            return this;
        }

        /** Audio produced per character of text (60 ms). */
        public Builder speechPerCharacter(Duration audio) {
            this.speechPerCharacter = audio;
            return this;
        }

        /** How much faster than real time speech audio is sent (4×). */
        public Builder speakPacing(double timesRealTime) {
            this.speakPacing = timesRealTime;
            return this;
        }

        /** Audio per binary frame (40 ms). */
        public Builder speakFrame(Duration frame) {
            this.speakFrame = frame;
            return this;
        }

        /** Delay between Clear and Cleared (20 ms). */
        public Builder clearDelay(Duration delay) {
            this.clearDelay = delay;
            return this;
        }

        /** Flushes accepted per rolling 60 s before a Warning (20, as Deepgram). */
        public Builder maxFlushesPerMinute(int max) {
            this.maxFlushesPerMinute = max;
            return this;
        }

        public Builder speakFault(SpeakFault fault) {
            this.speakFault = fault;
            return this;
        }

        /** How long a STALL fault lasts (5 s). */
        public Builder stallFor(Duration stall) {
            this.stallFor = stall;
            return this;
        }

        public FakeDeepgramServer start() {
            return new FakeDeepgramServer(this);
        }

        private Settings settings() {
            return new Settings(List.copyOf(utterances), finalLatency, interimEvery, idleTimeout, silenceFinalEvery,
                    speechThresholdDbfs, listenFault, timeToFirstByte, speechPerCharacter, speakPacing, speakFrame,
                    clearDelay, maxFlushesPerMinute, speakFault, stallFor);
        }
    }
}
