package dev.parley.cartesia;

import dev.parley.ParleyException;
import dev.parley.cartesia.internal.CartesiaSocket;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Cartesia Sonic streaming speech over {@code /tts/websocket}. One WebSocket per provider, opened in
 * the background by {@link Builder#build()} (or synchronously by {@link #warmUp()}), is shared by
 * all streams; each stream is one Cartesia context whose text pieces are continuations of one
 * utterance. Audio comes back as PCM16 ({@code pcm_s16le}) at the request's rate in frames of
 * {@link Builder#frame} (20 ms), with word timings ({@code add_timestamps}). Closing a stream sends
 * {@code cancel} for its context. A dropped socket fails the streams that were waiting for audio
 * (retryable) and is reopened.
 *
 * <pre>{@code
 * var tts = CartesiaTts.fromEnvironment().voice("a0e99841-438c-4a64-b679-ae501e7d6091").build();
 * tts.warmUp();
 * }</pre>
 *
 * <p>The request's voice, when not empty, is the Cartesia voice id.
 */
public final class CartesiaTts implements TextToSpeech, AutoCloseable {
    /** The default endpoint. */
    public static final String DEFAULT_BASE_URL = "wss://api.cartesia.ai";
    /** The API version sent in {@code Cartesia-Version} by default. */
    public static final String DEFAULT_VERSION = "2026-03-01";
    /** Raw output rates Cartesia streams at. */
    public static final Set<Integer> SAMPLE_RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);

    private final Builder config;
    private final CartesiaSocket socket;

    private CartesiaTts(Builder b) {
        this.config = b.copy();
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        this.socket = new CartesiaSocket(http, URI.create(config.baseUrl + "/tts/websocket"),
                Map.of("X-API-Key", config.apiKey, "Cartesia-Version", config.version), config.connectTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with the key from {@code CARTESIA_API_KEY} and the URL from {@code CARTESIA_BASE_URL}. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = new Builder().apiKey(env.getOrDefault("CARTESIA_API_KEY", ""));
        String url = env.getOrDefault("CARTESIA_BASE_URL", "");
        if (!url.isBlank()) {
            b.baseUrl(url);
        }
        return b;
    }

    /**
     * Opens the shared socket now (if it is not open) and waits for the handshake.
     *
     * @throws CartesiaException if Cartesia refuses (bad key, 429) or does not answer
     */
    public void warmUp() {
        socket.connection();
    }

    /**
     * Starts a stream (one Cartesia context) on the shared socket, connecting first if needed.
     *
     * @throws ParleyException if the rate is not one Cartesia streams at
     * @throws CartesiaException if the socket cannot be opened
     */
    @Override
    public TtsStream open(TtsRequest request) {
        if (!SAMPLE_RATES.contains(request.sampleRate())) {
            throw new ParleyException("Cartesia cannot stream at " + request.sampleRate()
                    + " Hz; ask for one of 8000, 16000, 22050, 24000, 44100, 48000");
        }
        String voice = request.voice().isBlank() ? config.voice : request.voice().strip();
        if (voice.isEmpty()) {
            throw new ParleyException("no Cartesia voice: set one on the builder or in the request");
        }
        socket.connection();
        var settings = new CartesiaTtsStream.Settings(config.model, voice, language(request.language()),
                request.sampleRate(), config.timestamps, Optional.ofNullable(config.maxBufferDelay), config.frame,
                config.firstByteTimeout, config.maxAudioGap, config.contextIdle);
        return new CartesiaTtsStream(socket, settings, request.callId());
    }

    /** Handshakes that succeeded so far (1 while the first socket lives; more after reconnects). */
    public int connects() {
        return socket.connects();
    }

    @Override
    public String name() {
        return "cartesia";
    }

    /** Closes the shared socket; open streams fail. */
    @Override
    public void close() {
        socket.close();
    }

    private String language(String tag) {
        if (config.language != null) {
            return config.language;
        }
        String primary = tag.strip().split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        return primary.isEmpty() ? "en" : primary;
    }

    /** Configures a {@link CartesiaTts}. */
    public static final class Builder {
        private String apiKey = "";
        private String baseUrl = DEFAULT_BASE_URL;
        private String version = DEFAULT_VERSION;
        private String model = "sonic-3";
        private String voice = "";
        private @Nullable String language;
        private boolean timestamps = true;
        private @Nullable Duration maxBufferDelay;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstByteTimeout = Duration.ofSeconds(3);
        private Duration maxAudioGap = Duration.ofSeconds(2);
        private Duration contextIdle = Duration.ofMillis(700);
        private Duration frame = Duration.ofMillis(20);
        private boolean connectAtBuild = true;
        private @Nullable HttpClient httpClient;

        private Builder() {}

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey.strip();
            return this;
        }

        /** {@code wss://api.cartesia.ai} by default; {@code /tts/websocket} is appended. */
        public Builder baseUrl(String baseUrl) {
            String u = baseUrl.strip();
            this.baseUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
            return this;
        }

        /** The {@code Cartesia-Version} header ({@value #DEFAULT_VERSION}). */
        public Builder version(String version) {
            this.version = version.strip();
            return this;
        }

        /** The model ({@code sonic-3}). */
        public Builder model(String model) {
            this.model = model.strip();
            return this;
        }

        /** The default voice id; a request's voice overrides it. */
        public Builder voice(String voiceId) {
            this.voice = voiceId.strip();
            return this;
        }

        /** A fixed Cartesia language code ({@code en}, {@code es}); by default the request's primary subtag. */
        public Builder language(String language) {
            this.language = language.strip();
            return this;
        }

        /** Whether to ask for word timestamps (on by default). */
        public Builder timestamps(boolean on) {
            this.timestamps = on;
            return this;
        }

        /** {@code max_buffer_delay_ms}: how long Cartesia may wait for more text (not sent by default). */
        public Builder maxBufferDelay(Duration delay) {
            this.maxBufferDelay = nonNegative(delay, "maxBufferDelay");
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

        /** Once audio flows, the next chunk (or the flush's end) must come within this (2 s). */
        public Builder maxAudioGap(Duration gap) {
            this.maxAudioGap = positive(gap, "maxAudioGap");
            return this;
        }

        /**
         * After this long without output and with nothing owed (700 ms), more text starts a fresh
         * context: Cartesia expires a context about 1 s after its last audio.
         */
        public Builder contextIdle(Duration idle) {
            this.contextIdle = positive(idle, "contextIdle");
            return this;
        }

        /** Length of the delivered audio frames (20 ms). */
        public Builder frame(Duration frame) {
            this.frame = positive(frame, "frame");
            return this;
        }

        /** Whether {@link #build()} starts opening the socket in the background (true). */
        public Builder connectAtBuild(boolean connect) {
            this.connectAtBuild = connect;
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * @throws ParleyException if no API key was given
         */
        public CartesiaTts build() {
            if (apiKey.isEmpty()) {
                throw new ParleyException("no Cartesia API key: set CARTESIA_API_KEY");
            }
            URI.create(baseUrl);
            var tts = new CartesiaTts(this);
            if (connectAtBuild) {
                tts.socket.connectInBackground();
            }
            return tts;
        }

        private Builder copy() {
            Builder c = new Builder();
            c.apiKey = apiKey;
            c.baseUrl = baseUrl;
            c.version = version;
            c.model = model;
            c.voice = voice;
            c.language = language;
            c.timestamps = timestamps;
            c.maxBufferDelay = maxBufferDelay;
            c.connectTimeout = connectTimeout;
            c.firstByteTimeout = firstByteTimeout;
            c.maxAudioGap = maxAudioGap;
            c.contextIdle = contextIdle;
            c.frame = frame;
            c.connectAtBuild = connectAtBuild;
            c.httpClient = httpClient;
            return c;
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative");
            }
            return d;
        }
    }
}
