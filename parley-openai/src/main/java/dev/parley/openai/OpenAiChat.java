package dev.parley.openai;

import dev.parley.openai.internal.ChunkAssembler;
import dev.parley.openai.internal.Errors;
import dev.parley.openai.internal.RequestEncoder;
import dev.parley.openai.internal.SseDecoder;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An OpenAI-compatible chat model: Chat Completions streamed over SSE, with tools. Works with
 * OpenAI, Groq, vLLM, Ollama and llama.cpp's server (see {@link Compatibility}). One instance holds
 * one {@link HttpClient}, so connections are pooled across calls; share it, and {@link #close()} it at
 * shutdown.
 *
 * <pre>{@code
 * var llm = OpenAiChat.builder().model("gpt-4.1-mini").apiKey(key)
 *         .firstByteTimeout(Duration.ofSeconds(10)).chunkGapTimeout(Duration.ofSeconds(5)).build();
 * llm.warmUp(); // connect and handshake now, not on the first turn
 * }</pre>
 */
public final class OpenAiChat implements LanguageModel, AutoCloseable {
    /** The API key ({@code Authorization: Bearer …}); may be unset for local servers. */
    public static final String ENV_API_KEY = "OPENAI_API_KEY";
    /** The base URL, for example {@code http://localhost:11434/v1} for Ollama. */
    public static final String ENV_BASE_URL = "OPENAI_BASE_URL";
    /** The model name. */
    public static final String ENV_MODEL = "PARLEY_LLM_MODEL";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL = "gpt-4.1-mini";
    private static final byte[] WARM_UP_CHUNK = ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\","
            + "\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n")
            .getBytes(StandardCharsets.UTF_8);

    private final String apiKey;
    private final URI baseUri;
    private final String model;
    private final OptionalDouble temperature;
    private final OptionalInt maxTokens;
    private final Duration firstByteTimeout;
    private final Duration chunkGapTimeout;
    private final Duration connectTimeout;
    private final Map<String, String> headers;
    private final Compatibility compatibility;
    private final RetryPolicy retryPolicy;
    private final String providerName;
    private final AtomicBoolean streamUsage;
    private final HttpClient client;

    private OpenAiChat(Builder b) {
        String base = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.baseUri = URI.create(base);
        if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
            throw new IllegalArgumentException("base URL must be http or https: " + b.baseUrl);
        }
        this.apiKey = b.apiKey;
        this.model = b.model;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.firstByteTimeout = b.firstByteTimeout;
        this.chunkGapTimeout = b.chunkGapTimeout;
        this.connectTimeout = b.connectTimeout;
        this.headers = Map.copyOf(b.headers);
        this.compatibility = b.compatibility;
        this.retryPolicy = b.retryPolicy;
        this.providerName = b.providerName.orElseGet(() -> providerFor(baseUri));
        if (apiKey.isBlank() && baseUri.getHost() != null && baseUri.getHost().endsWith("api.openai.com")) {
            throw new OpenAiException(providerName + " needs an API key: set " + ENV_API_KEY, false, null);
        }
        this.streamUsage = new AtomicBoolean(compatibility.streamUsage());
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A model configured from {@value #ENV_API_KEY}, {@value #ENV_BASE_URL} and {@value #ENV_MODEL}. */
    public static OpenAiChat fromEnvironment() {
        return builder().environment(System.getenv()).build();
    }

    @Override
    public LlmStream stream(LlmRequest request) {
        return new OpenAiStream(this, request);
    }

    /**
     * Opens a pooled connection now ({@code GET /models}), so that no TCP or TLS handshake sits on
     * the first turn; returns the round trip. A rejected key fails here (401/403); any other answer,
     * even 404, has done the job.
     *
     * @throws OpenAiException when the server cannot be reached (retryable) or rejects the key
     */
    public Duration warmUp() {
        exerciseCodecs();
        var req = authorised(HttpRequest.newBuilder(URI.create(baseUri + "/models")).GET()
                .timeout(connectTimeout.plus(firstByteTimeout))).build();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> res;
        try {
            res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new OpenAiException(providerName + ": could not reach " + baseUri + " (" + e + ")", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenAiException("interrupted while warming up " + providerName, false, e);
        }
        if (res.statusCode() == 401 || res.statusCode() == 403) {
            throw Errors.http(providerName, ENV_API_KEY, res.statusCode(), res.headers(), res.body(), Instant.now());
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Runs the request encoder and the stream decoder once, so their classes are loaded and linked now. */
    private void exerciseCodecs() {
        RequestEncoder.encode(new LlmRequest("warm-up", "x", List.of(new ChatMessage.User("x")), List.of()),
                new RequestEncoder.Options(model, temperature, maxTokens, false, true, false));
        var decoder = new SseDecoder();
        var assembler = new ChunkAssembler(providerName);
        var events = new ArrayList<LlmEvent>();
        for (String data : decoder.feed(ByteBuffer.wrap(WARM_UP_CHUNK))) {
            assembler.accept(data, events);
        }
        assembler.finish(events);
    }

    @Override
    public String name() {
        return providerName + ":" + model;
    }

    public String model() {
        return model;
    }

    public String baseUrl() {
        return baseUri.toString();
    }

    /** Aborts requests in flight and releases the pooled connections. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    HttpRequest httpRequest(LlmRequest request) {
        byte[] body = RequestEncoder.encode(request, new RequestEncoder.Options(model, temperature, maxTokens,
                compatibility.legacyMaxTokens(), streamUsage.get(), compatibility.systemNotesAsUser()));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUri + "/chat/completions"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return authorised(b).build();
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder b) {
        if ("http".equals(baseUri.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-text local servers
        }
        if (!apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(b::header);
        return b;
    }

    HttpClient client() {
        return client;
    }

    String providerName() {
        return providerName;
    }

    Duration firstByteTimeout() {
        return firstByteTimeout;
    }

    Duration chunkGapTimeout() {
        return chunkGapTimeout;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    boolean streamUsage() {
        return streamUsage.get();
    }

    void disableStreamUsage() {
        streamUsage.set(false);
    }

    private static String providerFor(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith("openai.com")) {
            return "OpenAI";
        }
        if (host.endsWith("groq.com")) {
            return "Groq";
        }
        return "OpenAI-compatible server at " + uri.getAuthority();
    }

    /** Configures an {@link OpenAiChat}. */
    public static final class Builder {
        private String apiKey = "";
        private String baseUrl = DEFAULT_BASE_URL;
        private String model = DEFAULT_MODEL;
        private OptionalDouble temperature = OptionalDouble.empty();
        private OptionalInt maxTokens = OptionalInt.empty();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstByteTimeout = Duration.ofSeconds(10);
        private Duration chunkGapTimeout = Duration.ofSeconds(5);
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Compatibility compatibility = Compatibility.openAi();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Optional<String> providerName = Optional.empty();

        private Builder() {}

        /** Reads {@value #ENV_API_KEY}, {@value #ENV_BASE_URL} and {@value #ENV_MODEL} from {@code env} when set. */
        public Builder environment(Map<String, String> env) {
            Optional.ofNullable(env.get(ENV_API_KEY)).filter(s -> !s.isBlank()).ifPresent(this::apiKey);
            Optional.ofNullable(env.get(ENV_BASE_URL)).filter(s -> !s.isBlank()).ifPresent(this::baseUrl);
            Optional.ofNullable(env.get(ENV_MODEL)).filter(s -> !s.isBlank()).ifPresent(this::model);
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey.strip();
            return this;
        }

        /** Up to and including the version, for example {@code https://api.groq.com/openai/v1}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl.strip();
            return this;
        }

        public Builder model(String model) {
            if (model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank");
            }
            this.model = model.strip();
            return this;
        }

        public Builder temperature(double temperature) {
            this.temperature = OptionalDouble.of(temperature);
            return this;
        }

        /** Limit on generated tokens per step. */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
            }
            this.maxTokens = OptionalInt.of(maxTokens);
            return this;
        }

        /** TCP (and TLS) connect limit; default 5 s. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Longest wait from sending the request to the first byte of the answer; default 10 s. */
        public Builder firstByteTimeout(Duration d) {
            this.firstByteTimeout = positive(d, "firstByteTimeout");
            return this;
        }

        /** Longest silence between two pieces of the stream (keep-alive comments count); default 5 s. */
        public Builder chunkGapTimeout(Duration d) {
            this.chunkGapTimeout = positive(d, "chunkGapTimeout");
            return this;
        }

        /** An extra header on every request (for example {@code OpenAI-Organization}). */
        public Builder header(String name, String value) {
            this.headers.put(name, value);
            return this;
        }

        public Builder compatibility(Compatibility compatibility) {
            this.compatibility = compatibility;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /** The name used in logs and error messages; by default derived from the base URL ("OpenAI", "Groq"). */
        public Builder providerName(String name) {
            this.providerName = Optional.of(name);
            return this;
        }

        public OpenAiChat build() {
            return new OpenAiChat(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
