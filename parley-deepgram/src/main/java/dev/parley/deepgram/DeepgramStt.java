package dev.parley.deepgram;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Deepgram live transcription ({@code /v1/listen} over WebSocket, Nova models). Each
 * {@link #open} connects at once (call start), so no handshake sits on a turn's critical path.
 *
 * <pre>{@code
 * var stt = DeepgramStt.fromEnvironment().model("nova-3").endpointing(Duration.ofMillis(300)).build();
 * }</pre>
 *
 * <p>Streams ask for interim results, VAD events ({@code SpeechStarted}) and utterance ends; the
 * request's vocabulary becomes {@code keyterm}s (nova-3) or {@code keywords} (older models).
 * While the caller sends no audio a {@code KeepAlive} goes out every {@link Builder#keepAlive}
 * (Deepgram closes idle sockets after 10 s).
 */
public final class DeepgramStt implements SpeechToText {
    /** Where Deepgram lives unless told otherwise. */
    public static final String DEFAULT_BASE_URL = "wss://api.deepgram.com";

    private final Builder config;
    private final HttpClient http;

    private DeepgramStt(Builder b) {
        this.config = b.copy();
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with the API key from {@code DEEPGRAM_API_KEY} and the URL from {@code DEEPGRAM_BASE_URL}. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, reading the given variables. */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = new Builder().apiKey(env.getOrDefault("DEEPGRAM_API_KEY", ""));
        String url = env.getOrDefault("DEEPGRAM_BASE_URL", "");
        if (!url.isBlank()) {
            b.baseUrl(url);
        }
        return b;
    }

    @Override
    public SttStream open(SttRequest request) {
        if (request.format().encoding() != AudioFormat.Encoding.PCM16) {
            throw new IllegalArgumentException("SttStream audio is PCM16; got " + request.format());
        }
        return DeepgramSttStream.connect(http, listenUri(request), "Token " + config.apiKey, request, settings());
    }

    @Override
    public String name() {
        return "deepgram";
    }

    /** The {@code /v1/listen} URL for a request, with every query parameter. */
    URI listenUri(SttRequest request) {
        var q = new StringJoiner("&");
        q.add("model=" + enc(config.model));
        q.add("encoding=" + wireEncoding(config.encoding));
        q.add("sample_rate=" + request.format().sampleRate());
        q.add("channels=1");
        q.add("interim_results=true");
        q.add("endpointing=" + (config.endpointing == null ? "false" : String.valueOf(config.endpointing.toMillis())));
        if (config.utteranceEnd != null) {
            q.add("utterance_end_ms=" + config.utteranceEnd.toMillis());
        }
        q.add("vad_events=true");
        q.add("smart_format=" + config.smartFormat);
        q.add("punctuate=true");
        String language = config.language != null ? config.language : request.language();
        if (!language.isBlank()) {
            q.add("language=" + enc(language));
        }
        String vocabularyParam = config.model.startsWith("nova-3") ? "keyterm" : "keywords";
        for (String term : request.vocabulary()) {
            if (!term.isBlank()) {
                q.add(vocabularyParam + "=" + enc(term.strip()));
            }
        }
        if (!request.callId().isBlank()) {
            q.add("tag=" + enc(request.callId()));
        }
        return URI.create(config.baseUrl + "/v1/listen?" + q);
    }

    DeepgramSttStream.Settings settings() {
        return new DeepgramSttStream.Settings(config.encoding, config.connectTimeout, config.keepAlive,
                config.finalizeTimeout, config.responseTimeout, config.finishTimeout, config.maxPendingAudio,
                System::nanoTime);
    }

    private static String wireEncoding(AudioFormat.Encoding e) {
        return switch (e) {
            case PCM16 -> "linear16";
            case MULAW -> "mulaw";
            case ALAW -> "alaw";
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Configures a {@link DeepgramStt}. Durations must be positive. */
    public static final class Builder {
        private String apiKey = "";
        private String baseUrl = DEFAULT_BASE_URL;
        private String model = "nova-3";
        private @Nullable String language;
        private AudioFormat.Encoding encoding = AudioFormat.Encoding.PCM16;
        private @Nullable Duration endpointing = Duration.ofMillis(300);
        private @Nullable Duration utteranceEnd = Duration.ofMillis(1000);
        private boolean smartFormat = true;
        private Duration keepAlive = Duration.ofSeconds(4);
        private Duration finalizeTimeout = Duration.ofSeconds(2);
        private Duration responseTimeout = Duration.ofSeconds(8);
        private Duration finishTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration maxPendingAudio = Duration.ofSeconds(5);
        private @Nullable HttpClient httpClient;

        private Builder() {}

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey.strip();
            return this;
        }

        /** {@code wss://api.deepgram.com} by default; a {@code ws://} URL for a local fake. */
        public Builder baseUrl(String baseUrl) {
            String u = baseUrl.strip();
            this.baseUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
            return this;
        }

        /** {@code nova-3} by default. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Overrides the request's language (e.g. {@code multi} for code-switching). */
        public Builder language(String language) {
            this.language = language;
            return this;
        }

        /**
         * How audio goes on the wire: {@code PCM16} (linear16, the default) or {@code MULAW}/{@code ALAW}
         * (half the bytes; fine for 8 kHz telephone audio). Streams always take PCM16 frames.
         */
        public Builder encoding(AudioFormat.Encoding encoding) {
            this.encoding = encoding;
            return this;
        }

        /** Silence after speech that makes Deepgram finalise with {@code speech_final} (300 ms by default). */
        public Builder endpointing(Duration silence) {
            this.endpointing = positive(silence, "endpointing");
            return this;
        }

        /** Turns Deepgram's endpointing off ({@code endpointing=false}): finals only on finalizeTurn. */
        public Builder noEndpointing() {
            this.endpointing = null;
            return this;
        }

        /** Word gap that produces an {@code UtteranceEnd} (1000 ms by default). */
        public Builder utteranceEnd(Duration gap) {
            this.utteranceEnd = positive(gap, "utteranceEnd");
            return this;
        }

        public Builder noUtteranceEnd() {
            this.utteranceEnd = null;
            return this;
        }

        public Builder smartFormat(boolean on) {
            this.smartFormat = on;
            return this;
        }

        /** A KeepAlive goes out after this long without audio (4 s by default; Deepgram's limit is 10 s). */
        public Builder keepAlive(Duration interval) {
            this.keepAlive = positive(interval, "keepAlive");
            return this;
        }

        /** After finalizeTurn, a final must arrive within this (2 s by default) or the stream fails, retryable. */
        public Builder finalizeTimeout(Duration timeout) {
            this.finalizeTimeout = positive(timeout, "finalizeTimeout");
            return this;
        }

        /** While audio is being sent, Deepgram must send something within this (8 s by default). */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive(timeout, "responseTimeout");
            return this;
        }

        /** After finish, the server must end the stream within this (5 s by default). */
        public Builder finishTimeout(Duration timeout) {
            this.finishTimeout = positive(timeout, "finishTimeout");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Audio the socket may have queued unsent before the stream fails as stalled (5 s by default). */
        public Builder maxPendingAudio(Duration audio) {
            this.maxPendingAudio = positive(audio, "maxPendingAudio");
            return this;
        }

        /** A shared HTTP client (one is created per provider otherwise). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * @throws ParleyException if no API key was given
         */
        public DeepgramStt build() {
            if (apiKey.isEmpty()) {
                throw new ParleyException("no Deepgram API key: set DEEPGRAM_API_KEY");
            }
            URI.create(baseUrl); // fail early on a malformed URL
            return new DeepgramStt(this);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.apiKey = apiKey;
            c.baseUrl = baseUrl;
            c.model = model;
            c.language = language;
            c.encoding = encoding;
            c.endpointing = endpointing;
            c.utteranceEnd = utteranceEnd;
            c.smartFormat = smartFormat;
            c.keepAlive = keepAlive;
            c.finalizeTimeout = finalizeTimeout;
            c.responseTimeout = responseTimeout;
            c.finishTimeout = finishTimeout;
            c.connectTimeout = connectTimeout;
            c.maxPendingAudio = maxPendingAudio;
            c.httpClient = httpClient;
            return c;
        }
    }

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }
}
