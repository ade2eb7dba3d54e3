package dev.parley.elevenlabs;

import dev.parley.ParleyException;
import dev.parley.elevenlabs.internal.Messages;
import dev.parley.elevenlabs.internal.StreamSocket;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElevenLabs streaming speech over the {@code stream-input} WebSocket: one socket per stream (the
 * protocol has one context per socket and no cancel), taken from a warm spare when one is ready, and
 * a new spare is opened behind it. Sockets send {@code " "} keep-alives so the inactivity timeout
 * does not close them. Audio comes back as PCM16 ({@code pcm_<rate>}, or {@code ulaw_8000} decoded
 * when {@link Builder#ulaw8k} is set) in frames of {@link Builder#frame} (20 ms), with word timings
 * from the character alignment.
 *
 * <pre>{@code
 * var tts = ElevenLabsTts.fromEnvironment().voice("21m00Tcm4TlvDq8ikWAM").build();
 * }</pre>
 *
 * <p>The request's voice, when not empty, is the ElevenLabs voice id.
 */
public final class ElevenLabsTts implements TextToSpeech, AutoCloseable {
    public static final String DEFAULT_BASE_URL = "wss://api.elevenlabs.io";
    /** PCM rates {@code stream-input} produces. */
    public static final Set<Integer> SAMPLE_RATES = Set.of(8000, 16000, 22050, 24000, 44100);

    private static final Logger log = LoggerFactory.getLogger(ElevenLabsTts.class);
    private static final Duration CLOSE_GRACE = Duration.ofMillis(300);

    private final Builder config;
    private final HttpClient http;
    private final Set<StreamSocket> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService keepAlive;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private @Nullable CompletableFuture<StreamSocket> spare;
    private @Nullable URI spareUri;
    private int connects;
    private volatile boolean closed;

    private ElevenLabsTts(Builder b) {
        this.config = b.copy();
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elevenlabs-keepalive");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, config.keepAliveEvery.toMillis() / 4);
        keepAlive.scheduleAtFixedRate(() -> live.forEach(s -> s.keepAliveIfIdle(config.keepAliveEvery)), every,
                every, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with the key from {@code ELEVENLABS_API_KEY} and the URL from {@code ELEVENLABS_BASE_URL}. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = new Builder().apiKey(env.getOrDefault("ELEVENLABS_API_KEY", ""));
        String url = env.getOrDefault("ELEVENLABS_BASE_URL", "");
        if (!url.isBlank()) {
            b.baseUrl(url);
        }
        return b;
    }

    /**
     * Opens a warm spare socket for streams like {@code request} and waits for it.
     *
     * @throws ElevenLabsException if ElevenLabs refuses (bad key, 429) or does not answer
     */
    public void warmUp(TtsRequest request) {
        URI uri = uri(request);
        StreamSocket s = StreamSocket.await(spareFor(uri), uri, config.connectTimeout);
        live.add(s);
    }

    /**
     * A stream on its own socket (the warm spare if it is ready and still open).
     *
     * @throws ParleyException if the rate is not one ElevenLabs streams at, or no voice is set
     * @throws ElevenLabsException if the socket cannot be opened
     */
    @Override
    public TtsStream open(TtsRequest request) {
        URI uri = uri(request);
        StreamSocket socket = takeSpare(uri);
        if (socket == null) {
            socket = StreamSocket.connect(http, uri, headers(), config.connectTimeout, bos());
            counted();
        }
        live.add(socket);
        if (config.spare) {
            spareFor(uri);
        }
        var settings = new ElevenLabsTtsStream.Settings(request.sampleRate(), ulaw(request.sampleRate()),
                config.frame, config.firstByteTimeout, config.maxAudioGap, config.flushQuiet);
        StreamSocket s = socket;
        return new ElevenLabsTtsStream(socket, settings, request.callId(), () -> live.remove(s));
    }

    /** Handshakes that succeeded so far (spares included). */
    public int connects() {
        lock.lock();
        try {
            return connects;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String name() {
        return "elevenlabs";
    }

    /** Closes the spare and stops keep-alives; open streams keep their sockets. */
    @Override
    public void close() {
        CompletableFuture<StreamSocket> s;
        lock.lock();
        try {
            closed = true;
            s = spare;
            spare = null;
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.thenAccept(this::discard);
        }
        keepAlive.shutdownNow();
    }

    private @Nullable StreamSocket takeSpare(URI uri) {
        CompletableFuture<StreamSocket> s;
        lock.lock();
        try {
            s = uri.equals(spareUri) ? spare : null;
            if (s != null) {
                spare = null;
            }
        } finally {
            lock.unlock();
        }
        if (s == null) {
            return null;
        }
        StreamSocket socket;
        try {
            socket = StreamSocket.await(s, uri, config.connectTimeout); // still connecting: nearly there
        } catch (ElevenLabsException e) {
            log.debug("ElevenLabs spare unusable: {}", e.getMessage());
            return null;
        }
        if (!socket.usable()) {
            live.remove(socket);
            socket.abort();
            return null;
        }
        return socket;
    }

    /** The spare for {@code uri}, starting one (and dropping a spare for another URI) if needed. */
    private CompletableFuture<StreamSocket> spareFor(URI uri) {
        CompletableFuture<StreamSocket> old = null;
        CompletableFuture<StreamSocket> f;
        lock.lock();
        try {
            if (spare != null && uri.equals(spareUri) && !spare.isCompletedExceptionally()) {
                return spare;
            }
            old = spare;
            f = StreamSocket.connectAsync(http, uri, headers(), config.connectTimeout, bos());
            spare = closed ? null : f;
            spareUri = uri;
        } finally {
            lock.unlock();
        }
        if (old != null) {
            old.thenAccept(this::discard);
        }
        f.whenComplete((s, e) -> {
            if (s != null) {
                counted();
                live.add(s);
            } else {
                log.debug("ElevenLabs spare connect failed: {}", e.toString());
            }
        });
        return f;
    }

    private void discard(StreamSocket s) {
        live.remove(s);
        s.close(CLOSE_GRACE);
    }

    private void counted() {
        lock.lock();
        try {
            connects++;
        } finally {
            lock.unlock();
        }
    }

    private URI uri(TtsRequest request) {
        int rate = request.sampleRate();
        if (!SAMPLE_RATES.contains(rate)) {
            throw new ParleyException("ElevenLabs cannot stream PCM at " + rate
                    + " Hz; ask for one of 8000, 16000, 22050, 24000, 44100");
        }
        String voice = request.voice().isBlank() ? config.voice : request.voice().strip();
        if (voice.isEmpty()) {
            throw new ParleyException("no ElevenLabs voice: set one on the builder or in the request");
        }
        String format = ulaw(rate) ? "ulaw_8000" : "pcm_" + rate;
        StringBuilder u = new StringBuilder(config.baseUrl).append("/v1/text-to-speech/")
                .append(URLEncoder.encode(voice, StandardCharsets.UTF_8)).append("/stream-input?model_id=")
                .append(URLEncoder.encode(config.model, StandardCharsets.UTF_8)).append("&output_format=")
                .append(format).append("&inactivity_timeout=").append(config.inactivityTimeout.toSeconds());
        if (config.languageCode != null) {
            u.append("&language_code=").append(URLEncoder.encode(config.languageCode, StandardCharsets.UTF_8));
        }
        return URI.create(u.toString());
    }

    private boolean ulaw(int rate) {
        return config.ulaw8k && rate == 8000;
    }

    private Map<String, String> headers() {
        return Map.of("xi-api-key", config.apiKey);
    }

    private String bos() {
        return Messages.bos(config.voiceSettings, config.chunkSchedule);
    }

    /** Configures an {@link ElevenLabsTts}. */
    public static final class Builder {
        private String apiKey = "";
        private String baseUrl = DEFAULT_BASE_URL;
        private String model = "eleven_flash_v2_5";
        private String voice = "";
        private @Nullable String languageCode;
        private boolean ulaw8k;
        private Messages.VoiceSettings voiceSettings = new Messages.VoiceSettings(0.5, 0.75, 0, true, 1.0);
        private List<Integer> chunkSchedule = List.of(50, 120, 160, 290);
        private Duration inactivityTimeout = Duration.ofSeconds(60);
        private Duration keepAliveEvery = Duration.ofSeconds(20);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstByteTimeout = Duration.ofSeconds(3);
        private Duration maxAudioGap = Duration.ofSeconds(2);
        private Duration flushQuiet = Duration.ofMillis(500);
        private Duration frame = Duration.ofMillis(20);
        private boolean spare = true;
        private @Nullable HttpClient httpClient;

        private Builder() {}

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey.strip();
            return this;
        }

        /** {@code wss://api.elevenlabs.io} by default (regional hosts work too). */
        public Builder baseUrl(String baseUrl) {
            String u = baseUrl.strip();
            this.baseUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
            return this;
        }

        /** {@code eleven_flash_v2_5} by default. */
        public Builder model(String model) {
            this.model = model.strip();
            return this;
        }

        /** The default voice id; a request's voice overrides it. */
        public Builder voice(String voiceId) {
            this.voice = voiceId.strip();
            return this;
        }

        /** Sends {@code language_code} (not sent by default: the model detects the language). */
        public Builder languageCode(String code) {
            this.languageCode = code.strip();
            return this;
        }

        /** At 8 kHz, ask for {@code ulaw_8000} (what telephony plays) and decode it to PCM16. */
        public Builder ulaw8k(boolean on) {
            this.ulaw8k = on;
            return this;
        }

        /** {@code voice_settings} in the first message (0.5, 0.75, 0, true, 1.0 by default). */
        public Builder voiceSettings(double stability, double similarityBoost, double style, boolean speakerBoost,
                double speed) {
            this.voiceSettings = new Messages.VoiceSettings(stability, similarityBoost, style, speakerBoost, speed);
            return this;
        }

        /** {@code chunk_length_schedule}: characters buffered before each generation ([50, 120, 160, 290]). */
        public Builder chunkSchedule(List<Integer> schedule) {
            if (schedule.isEmpty() || schedule.stream().anyMatch(v -> v < 50 || v > 500)) {
                throw new IllegalArgumentException("chunk_length_schedule values must be between 50 and 500");
            }
            this.chunkSchedule = List.copyOf(schedule);
            return this;
        }

        /** {@code inactivity_timeout} (60 s; at most 180 s); keep-alives go out well before it. */
        public Builder inactivityTimeout(Duration timeout) {
            if (timeout.toSeconds() < 1 || timeout.toSeconds() > 180) {
                throw new IllegalArgumentException("inactivity_timeout must be 1..180 s");
            }
            this.inactivityTimeout = timeout;
            return this;
        }

        /** Silence on a socket after which a {@code " "} keep-alive is sent (20 s). */
        public Builder keepAliveEvery(Duration every) {
            this.keepAliveEvery = positive(every, "keepAliveEvery");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** After a flush (or finish), the first audio must come within this (3 s). */
        public Builder firstByteTimeout(Duration timeout) {
            this.firstByteTimeout = positive(timeout, "firstByteTimeout");
            return this;
        }

        /** Once audio flows, the next chunk must come within this (2 s). */
        public Builder maxAudioGap(Duration gap) {
            this.maxAudioGap = positive(gap, "maxAudioGap");
            return this;
        }

        /** Without alignment from the server, a flush ends after this long without audio (500 ms). */
        public Builder flushQuiet(Duration quiet) {
            this.flushQuiet = positive(quiet, "flushQuiet");
            return this;
        }

        /** Length of the delivered audio frames (20 ms). */
        public Builder frame(Duration frame) {
            this.frame = positive(frame, "frame");
            return this;
        }

        /** Whether to keep a warm spare socket for the next stream (on). */
        public Builder spare(boolean on) {
            this.spare = on;
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * @throws ParleyException if no API key was given
         */
        public ElevenLabsTts build() {
            if (apiKey.isEmpty()) {
                throw new ParleyException("no ElevenLabs API key: set ELEVENLABS_API_KEY");
            }
            URI.create(baseUrl);
            return new ElevenLabsTts(this);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.apiKey = apiKey;
            c.baseUrl = baseUrl;
            c.model = model;
            c.voice = voice;
            c.languageCode = languageCode;
            c.ulaw8k = ulaw8k;
            c.voiceSettings = voiceSettings;
            c.chunkSchedule = chunkSchedule;
            c.inactivityTimeout = inactivityTimeout;
            c.keepAliveEvery = keepAliveEvery;
            c.connectTimeout = connectTimeout;
            c.firstByteTimeout = firstByteTimeout;
            c.maxAudioGap = maxAudioGap;
            c.flushQuiet = flushQuiet;
            c.frame = frame;
            c.spare = spare;
            c.httpClient = httpClient;
            return c;
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
