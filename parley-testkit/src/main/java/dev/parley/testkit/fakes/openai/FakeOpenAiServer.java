package dev.parley.testkit.fakes.openai;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A loopback OpenAI-compatible server for tests: {@code POST /v1/chat/completions} (streamed as SSE
 * when {@code stream} is true, whole otherwise) and {@code GET /v1/models}, on 127.0.0.1 and a free
 * port. Replies are scripted: queued {@link FakeReply}s first, then the responder function of the
 * parsed request JSON. It checks the bearer key, validates the request like the real API (tool
 * results answer earlier tool calls, tool names are valid), paces tokens, injects faults, and
 * records every request.
 *
 * <pre>{@code
 * try (var server = FakeOpenAiServer.builder().apiKey("sk-test")
 *         .timeToFirstToken(Duration.ofMillis(200)).tokensPerSecond(50)
 *         .responder(req -> FakeReply.text("We close at ten.")).start()) {
 *     var llm = OpenAiChat.builder().baseUrl(server.baseUrl()).apiKey("sk-test").build();
 * }
 * }</pre>
 */
public final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // Like real API servers, send each frame at once: without TCP_NODELAY, Nagle's algorithm holds
        // a frame until the client's delayed ACK of the previous one (up to 40 ms on Linux). Read once,
        // when the JVM creates its first com.sun.net.httpserver server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<FakeReply> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Builder config;

    private FakeOpenAiServer(Builder b) {
        this.config = b;
        this.queue.addAll(b.replies);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", ex -> handle(ex, this::chat));
        server.createContext("/v1/models", ex -> handle(ex, this::models));
        server.createContext("/", ex -> handle(ex, e -> writeJson(e, 404, error("invalid_request_error",
                "unknown_url", "Unknown request URL: " + e.getRequestURI()), List.of())));
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL clients use, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues replies for the next chat requests (before the responder is asked). */
    public void enqueue(FakeReply... replies) {
        queue.addAll(List.of(replies));
    }

    /** Every request received, in order (chat and models). */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The chat-completions requests received, in order. */
    public List<RecordedRequest> chatRequests() {
        return requests().stream().filter(r -> r.path().endsWith("/chat/completions")).toList();
    }

    /** Stops the server at once; pacing and stalls in progress end. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private void handle(HttpExchange ex, Handler h) {
        try (ex) {
            h.handle(ex);
        } catch (IOException | RuntimeException e) {
            // the client went away or the server is stopping; nothing to answer
        }
    }

    private void models(HttpExchange ex) throws IOException {
        RecordedRequest rec = record(ex, MissingNode.getInstance());
        if (!authorised(ex)) {
            writeError(ex, FakeReply.unauthorized());
            return;
        }
        ObjectNode list = MAPPER.createObjectNode().put("object", "list");
        for (String id : List.of("gpt-4.1-mini", "fake-model")) {
            list.withArray("data").addObject().put("id", id).put("object", "model").put("created", 1733000000L)
                    .put("owned_by", "parley-fake");
        }
        writeJson(ex, 200, list, List.of());
        rec.completed(true);
    }

    private void chat(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            writeJson(ex, 405, error("invalid_request_error", "method_not_allowed", "Use POST"), List.of());
            return;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        } catch (JacksonException e) {
            record(ex, MissingNode.getInstance());
            writeJson(ex, 400, error("invalid_request_error", "invalid_json", "We could not parse the JSON body"),
                    List.of());
            return;
        }
        RecordedRequest rec = record(ex, body);
        if (!authorised(ex)) {
            writeError(ex, FakeReply.unauthorized());
            return;
        }
        Optional<String> invalid = RequestRules.problem(body);
        if (invalid.isEmpty() && config.rejectStreamOptions && body.has("stream_options")) {
            invalid = Optional.of("Unrecognized request argument supplied: stream_options");
        }
        if (invalid.isPresent()) {
            writeJson(ex, 400, error("invalid_request_error", "invalid_request", invalid.get()), List.of());
            return;
        }
        FakeReply reply = Optional.ofNullable(queue.poll()).orElseGet(() -> config.responder.apply(body));
        switch (reply) {
            case FakeReply.HttpError e -> writeError(ex, e);
            case FakeReply.Completion c when body.path("stream").asBoolean(false) && !config.ignoreStream ->
                    stream(ex, rec, c, body);
            case FakeReply.Completion c -> whole(ex, rec, c, body);
        }
    }

    private void stream(HttpExchange ex, RecordedRequest rec, FakeReply.Completion c, JsonNode body)
            throws IOException {
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        OptionalInt max = body.has("max_completion_tokens") ? OptionalInt.of(body.get("max_completion_tokens").asInt())
                : body.has("max_tokens") ? OptionalInt.of(body.get("max_tokens").asInt()) : OptionalInt.empty();
        var frames = SseScript.frames(c, config.style, includeUsage, body.path("model").asText("fake-model"), max,
                RequestRules.promptTokens(body), sequence.incrementAndGet());
        var fault = c.fault();
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        // A drop is a body cut short of its declared length: the server then closes the connection.
        ex.sendResponseHeaders(200, fault.orElse(null) instanceof FakeReply.StreamFault.Drop ? 1 << 24 : 0);
        OutputStream os = ex.getResponseBody();
        String nl = config.crlf ? "\r\n" : "\n";
        Duration gap = config.tokensPerSecond > 0 ? Duration.ofNanos((long) (1e9 / config.tokensPerSecond)) : Duration.ZERO;
        try {
            for (int i = 0; i < frames.size(); i++) {
                if (fault.isPresent() && rec.framesWritten() == fault.get().afterFrames()) {
                    if (!disturb(fault.get(), os, nl, rec)) {
                        return;
                    }
                }
                SseScript.Frame f = frames.get(i);
                if (!pause(i == 0 ? config.timeToFirstToken : f.paced() ? gap : Duration.ZERO)) {
                    return;
                }
                if (f.hasText()) {
                    rec.textFrameStarting(System.nanoTime());
                }
                os.write(("data: " + f.data() + nl + nl).getBytes(UTF_8));
                os.flush();
                rec.frameWritten();
            }
            rec.completed(true);
        } catch (IOException e) {
            rec.clientDisconnected();
        }
    }

    /** Applies a fault; false when the stream must end here. */
    private boolean disturb(FakeReply.StreamFault fault, OutputStream os, String nl, RecordedRequest rec)
            throws IOException {
        switch (fault) {
            case FakeReply.StreamFault.Stall s -> {
                long end = System.nanoTime() + s.pause().toNanos();
                while (System.nanoTime() < end) {
                    long step = Math.min(end - System.nanoTime(), s.keepAlive() ? 250_000_000L : Long.MAX_VALUE);
                    if (!pause(Duration.ofNanos(Math.max(0, step)))) {
                        return false;
                    }
                    if (s.keepAlive() && System.nanoTime() < end) {
                        os.write((": keep-alive" + nl + nl).getBytes(UTF_8));
                        os.flush();
                    }
                }
                return true;
            }
            case FakeReply.StreamFault.Drop d -> {
                return false;
            }
            case FakeReply.StreamFault.Malformed m -> {
                os.write(("data: {\"id\":\"chatcmpl-fake\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tru" + nl + nl)
                        .getBytes(UTF_8));
                os.flush();
                rec.frameWritten();
                return false;
            }
            case FakeReply.StreamFault.ErrorEvent e -> {
                os.write(("data: " + error("server_error", "server_error",
                        "The server had an error while processing your request.") + nl + nl).getBytes(UTF_8));
                os.flush();
                rec.frameWritten();
                return false;
            }
        }
    }

    private void whole(HttpExchange ex, RecordedRequest rec, FakeReply.Completion c, JsonNode body) throws IOException {
        ObjectNode out = MAPPER.createObjectNode().put("id", "chatcmpl-fake" + sequence.incrementAndGet())
                .put("object", "chat.completion").put("created", 1733000000L)
                .put("model", body.path("model").asText("fake-model"));
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        if (c.text().isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", c.text());
        }
        for (FakeToolCall call : c.toolCalls()) {
            ObjectNode tc = msg.withArray("tool_calls").addObject().put("id", call.id()).put("type", "function");
            tc.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        }
        choice.put("finish_reason", c.toolCalls().isEmpty() ? "stop" : "tool_calls");
        int completion = SseScript.tokens(c.text()).size();
        int prompt = RequestRules.promptTokens(body);
        out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        writeJson(ex, 200, out, List.of());
        rec.completed(true);
    }

    /** Waits, or returns false at once if the server is closing. */
    private boolean pause(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return closed.getCount() > 0;
        }
        try {
            return !closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private RecordedRequest record(HttpExchange ex, JsonNode body) {
        var rec = new RecordedRequest(ex.getRequestMethod(), ex.getRequestURI().getPath(), body,
                Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")), ex.getRemoteAddress().getPort());
        synchronized (requests) {
            requests.add(rec);
        }
        return rec;
    }

    private boolean authorised(HttpExchange ex) {
        return config.apiKey.isEmpty()
                || ("Bearer " + config.apiKey.get()).equals(ex.getRequestHeaders().getFirst("Authorization"));
    }

    private static ObjectNode error(String type, String code, String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return n;
    }

    private static void writeError(HttpExchange ex, FakeReply.HttpError e) throws IOException {
        writeJson(ex, e.status(), error(e.type(), e.code(), e.message()), List.copyOf(e.headers().entrySet()));
    }

    private static void writeJson(HttpExchange ex, int status, JsonNode json,
            List<? extends java.util.Map.Entry<String, String>> headers) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach(h -> ex.getResponseHeaders().set(h.getKey(), h.getValue()));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** Configures and starts a {@link FakeOpenAiServer}. */
    public static final class Builder {
        private Optional<String> apiKey = Optional.empty();
        private Duration timeToFirstToken = Duration.ZERO;
        private double tokensPerSecond;
        private ChunkStyle style = ChunkStyle.OPENAI;
        private boolean crlf;
        private boolean rejectStreamOptions;
        private boolean ignoreStream;
        private Function<JsonNode, FakeReply> responder = req -> FakeReply.text("Hello from the fake server.");
        private final List<FakeReply> replies = new ArrayList<>();

        private Builder() {}

        /** The key clients must send as {@code Authorization: Bearer <key>}; by default any key passes. */
        public Builder apiKey(String key) {
            this.apiKey = Optional.of(key);
            return this;
        }

        /** Delay between the response headers and the first chunk. */
        public Builder timeToFirstToken(Duration d) {
            this.timeToFirstToken = d;
            return this;
        }

        /** Token pace after the first one; 0 (the default) sends as fast as possible. */
        public Builder tokensPerSecond(double rate) {
            this.tokensPerSecond = rate;
            return this;
        }

        public Builder style(ChunkStyle style) {
            this.style = style;
            return this;
        }

        /** End SSE lines with CRLF instead of LF. */
        public Builder crlf(boolean crlf) {
            this.crlf = crlf;
            return this;
        }

        /** Answer 400 to requests that carry {@code stream_options}, like servers that do not know it. */
        public Builder rejectStreamOptions(boolean reject) {
            this.rejectStreamOptions = reject;
            return this;
        }

        /** Answer with one whole {@code chat.completion} JSON even when the request asks for a stream. */
        public Builder ignoreStream(boolean ignore) {
            this.ignoreStream = ignore;
            return this;
        }

        /** Computes the reply from the parsed request JSON when no reply is queued. */
        public Builder responder(Function<JsonNode, FakeReply> responder) {
            this.responder = responder;
            return this;
        }

        /** Queues replies for the first requests. */
        public Builder reply(FakeReply... replies) {
            this.replies.addAll(List.of(replies));
            return this;
        }

        public FakeOpenAiServer start() {
            return new FakeOpenAiServer(this);
        }
    }
}
