package dev.parley.deepgram;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Deepgram Aura streaming speech ({@code /v1/speak} over WebSocket). Text goes out as
 * {@code Speak} messages, each {@link TtsStream#flush()} as a {@code Flush} (at most
 * {@link Builder#flushLimit}, 20 a minute, Deepgram's limit; extra flushes are merged into
 * the next allowed one), audio comes back as PCM16 frames of {@link Builder#frame} (20 ms).
 * Closing a stream mid-audio sends {@code Clear} and {@code Close}.
 *
 * <pre>{@code
 * var tts = DeepgramAuraTts.fromEnvironment().model("aura-2-thalia-en").build();
 * }</pre>
 *
 * <p>The request's voice, when not empty, is the Aura model name ({@code aura-2-helena-en}).
 */
public final class DeepgramAuraTts implements TextToSpeech {
    /** Rates Aura streams at. */
    public static final Set<Integer> SAMPLE_RATES = Set.of(8000, 16000, 24000, 32000, 48000);

    private final Builder config;
    private final HttpClient http;

    private DeepgramAuraTts(Builder b) {
        this.config = b.copy();
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with the key from {@code DEEPGRAM_API_KEY} and the URL from {@code DEEPGRAM_BASE_URL}. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = new Builder().apiKey(env.getOrDefault("DEEPGRAM_API_KEY", ""));
        String url = env.getOrDefault("DEEPGRAM_BASE_URL", "");
        if (!url.isBlank()) {
            b.baseUrl(url);
        }
        return b;
    }

    /**
     * Connects a stream for one reply (or a whole call).
     *
     * @throws ParleyException if the rate is not one Aura streams at
     * @throws DeepgramException if the handshake fails
     */
    @Override
    public TtsStream open(TtsRequest request) {
        AudioFormat wire = wireFormat(request.sampleRate());
        String model = request.voice().isBlank() ? config.model : request.voice().strip();
        URI uri = URI.create(config.baseUrl + "/v1/speak?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "&encoding=" + (wire.encoding() == AudioFormat.Encoding.MULAW ? "mulaw" : "linear16")
                + "&sample_rate=" + wire.sampleRate());
        var settings = new DeepgramTtsStream.Settings(wire, config.connectTimeout, config.firstByteTimeout,
                config.maxAudioGap, config.maxFlushes, config.flushWindow, config.frame, System::nanoTime);
        DeepgramTtsStream stream = takeSpare(uri).map(s -> s.adopt(request.callId())).orElseGet(() ->
                DeepgramTtsStream.connect(http, uri, "Token " + config.apiKey, request.callId(), settings));
        prepareSpare(uri, settings);
        return stream;
    }

    /** A socket connected ahead of the next reply, so no handshake sits on a reply's first words. */
    private record Spare(URI uri, java.util.concurrent.CompletableFuture<DeepgramTtsStream> stream) {}

    private final Object spareLock = new Object();
    private @org.jspecify.annotations.Nullable Spare spare;

    private java.util.Optional<DeepgramTtsStream> takeSpare(URI uri) {
        Spare s;
        synchronized (spareLock) {
            s = spare;
            spare = null;
        }
        if (s == null) {
            return java.util.Optional.empty();
        }
        DeepgramTtsStream ready;
        try {
            // still connecting: waiting for it is never slower than a new handshake
            ready = s.stream().get(config.connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.stream().thenAccept(DeepgramTtsStream::close);
            return java.util.Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            s.stream().thenAccept(DeepgramTtsStream::close);
            return java.util.Optional.empty();
        }
        if (!s.uri().equals(uri) || !ready.usable()) {
            ready.close();
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ready);
    }

    private void prepareSpare(URI uri, DeepgramTtsStream.Settings settings) {
        var next = new java.util.concurrent.CompletableFuture<DeepgramTtsStream>();
        synchronized (spareLock) {
            if (spare != null) {
                return;
            }
            spare = new Spare(uri, next);
        }
        Thread.ofVirtual().name("deepgram-aura-spare").start(() -> {
            try {
                next.complete(DeepgramTtsStream.connect(http, uri, "Token " + config.apiKey, "spare", settings));
            } catch (RuntimeException e) {
                next.completeExceptionally(e);
            }
        });
    }

    @Override
    public String name() {
        return "deepgram-aura";
    }

    private AudioFormat wireFormat(int sampleRate) {
        if (!SAMPLE_RATES.contains(sampleRate)) {
            throw new ParleyException("Deepgram Aura cannot stream at " + sampleRate
                    + " Hz; ask for 8000, 16000, 24000, 32000 or 48000");
        }
        return config.encoding == AudioFormat.Encoding.MULAW && sampleRate == 8000
                ? AudioFormat.MULAW_8K : AudioFormat.pcm16(sampleRate);
    }

    /** Configures a {@link DeepgramAuraTts}. */
    public static final class Builder {
        private String apiKey = "";
        private String baseUrl = DeepgramStt.DEFAULT_BASE_URL;
        private String model = "aura-2-thalia-en";
        private AudioFormat.Encoding encoding = AudioFormat.Encoding.PCM16;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstByteTimeout = Duration.ofSeconds(3);
        private Duration maxAudioGap = Duration.ofSeconds(2);
        private int maxFlushes = 20;
        private Duration flushWindow = Duration.ofSeconds(60);
        private Duration frame = Duration.ofMillis(20);
        private @Nullable HttpClient httpClient;

        private Builder() {}

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey.strip();
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            String u = baseUrl.strip();
            this.baseUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
            return this;
        }

        /** The default voice ({@code aura-2-thalia-en}); a request's voice overrides it. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** {@code MULAW} asks for μ-law on the wire when the request is 8 kHz; PCM16 (linear16) otherwise. */
        public Builder encoding(AudioFormat.Encoding encoding) {
            this.encoding = encoding;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = DeepgramStt.positive(timeout, "connectTimeout");
            return this;
        }

        /** After a Flush, the first audio (or Flushed) must come within this (3 s by default). */
        public Builder firstByteTimeout(Duration timeout) {
            this.firstByteTimeout = DeepgramStt.positive(timeout, "firstByteTimeout");
            return this;
        }

        /** Once audio flows, the next chunk (or Flushed) must come within this (2 s by default). */
        public Builder maxAudioGap(Duration gap) {
            this.maxAudioGap = DeepgramStt.positive(gap, "maxAudioGap");
            return this;
        }

        /**
         * Deepgram ignores flushes past 20 in 60 s (a Warning says so): at most {@code max} Flush messages
         * go out per rolling {@code window} (20 per 60 s by default); more are merged into the next one
         * the window allows (each caller flush still gets its {@link dev.parley.spi.TtsEvent.Flushed}).
         */
        public Builder flushLimit(int max, Duration window) {
            if (max < 1) {
                throw new IllegalArgumentException("flush limit must be at least 1");
            }
            this.maxFlushes = max;
            this.flushWindow = DeepgramStt.positive(window, "flush window");
            return this;
        }

        /** Length of the delivered audio frames (20 ms by default). */
        public Builder frame(Duration frame) {
            this.frame = DeepgramStt.positive(frame, "frame");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * @throws ParleyException if no API key was given
         */
        public DeepgramAuraTts build() {
            if (apiKey.isEmpty()) {
                throw new ParleyException("no Deepgram API key: set DEEPGRAM_API_KEY");
            }
            URI.create(baseUrl);
            return new DeepgramAuraTts(this);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.apiKey = apiKey;
            c.baseUrl = baseUrl;
            c.model = model;
            c.encoding = encoding;
            c.connectTimeout = connectTimeout;
            c.firstByteTimeout = firstByteTimeout;
            c.maxAudioGap = maxAudioGap;
            c.maxFlushes = maxFlushes;
            c.flushWindow = flushWindow;
            c.frame = frame;
            c.httpClient = httpClient;
            return c;
        }
    }
}
