package dev.parley.testkit.fakes.cartesia;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One fake {@code /tts/websocket} connection: checks and routes inputs to {@link FakeContext}s by
 * {@code context_id}; cancels; answers malformed input with an {@code error}.
 */
final class CartesiaSession {
    record Settings(Set<String> models, Duration timeToFirstByte, Duration speechPerCharacter, double pacing,
            Duration chunk, Duration defaultBufferDelay, Duration expiry, boolean doneAfterCancel,
            Duration stallFor, AtomicReference<CartesiaFault> fault) {}

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);
    /** Fields that may change between inputs of one context. */
    private static final Set<String> VARYING = Set.of("transcript", "continue", "duration", "flush");

    private final Settings settings;
    private final RecordedConnection record;
    private final Outbox out;
    private final Map<String, FakeContext> contexts = new ConcurrentHashMap<>();
    private volatile long lastActivity = System.nanoTime();

    CartesiaSession(Settings settings, WsContext ctx, RecordedConnection record) {
        this.settings = settings;
        this.record = record;
        this.out = new Outbox(ctx, "fake-cartesia-out");
    }

    RecordedConnection record() {
        return record;
    }

    Settings settings() {
        return settings;
    }

    Outbox out() {
        return out;
    }

    long lastActivity() {
        return lastActivity;
    }

    void onText(String text) {
        lastActivity = System.nanoTime();
        record.message(text);
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            error("", 400, "invalid_request", "Invalid message", "The message is not valid JSON.");
            return;
        }
        String id = n.path("context_id").asText("");
        if (n.path("cancel").asBoolean(false)) {
            record.cancel(id);
            FakeContext c = contexts.get(id);
            if (c != null) {
                c.cancel();
            }
            if (settings.doneAfterCancel()) {
                sendDone(id);
            }
            return;
        }
        if (id.isEmpty()) {
            error("", 400, "invalid_request", "Missing context_id", "Every input needs a context_id.");
            return;
        }
        String transcript = n.path("transcript").asText("");
        boolean more = n.path("continue").asBoolean(false);
        boolean flush = n.path("flush").asBoolean(false);
        record.input(new RecordedConnection.Input(id, transcript, more, flush));
        FakeContext c = contexts.get(id);
        if (c == null) {
            String problem = firstInputProblem(n);
            if (problem != null) {
                error(id, 400, problem.startsWith("model") ? "model_not_found" : "invalid_request",
                        problem.startsWith("model") ? "Invalid model" : "Invalid request", problem);
                return;
            }
            JsonNode format = n.path("output_format");
            c = new FakeContext(this, id, fixed(n), format.path("sample_rate").asInt(),
                    n.path("add_timestamps").asBoolean(false), n.has("max_buffer_delay_ms")
                            ? Duration.ofMillis(n.path("max_buffer_delay_ms").asLong())
                            : settings.defaultBufferDelay());
            contexts.put(id, c);
        } else if (!c.fields().equals(fixed(n))) {
            error(id, 400, "invalid_request", "Invalid request",
                    "Inputs on a context must keep every field except transcript, continue and duration.");
            return;
        }
        c.input(transcript, more, flush);
    }

    void stop() {
        contexts.values().forEach(FakeContext::stop);
        out.stop();
    }

    void sendDone(String id) {
        out.text(JSON.createObjectNode().put("type", "done").put("done", true).put("status_code", 206)
                .put("context_id", id).toString());
    }

    void error(String id, int status, String code, String title, String message) {
        record.error(message);
        out.text(JSON.createObjectNode().put("type", "error").put("done", true).put("title", title)
                .put("message", message).put("error_code", code).put("status_code", status).put("context_id", id)
                .toString());
    }

    private @Nullable String firstInputProblem(JsonNode n) {
        String model = n.path("model_id").asText("");
        if (!settings.models().contains(model)) {
            return "model '" + model + "' is not valid, make sure it is a valid model ID.";
        }
        if (!"id".equals(n.path("voice").path("mode").asText("")) || n.path("voice").path("id").asText("").isBlank()) {
            return "voice must be {\"mode\":\"id\",\"id\":\"<voice id>\"}";
        }
        JsonNode f = n.path("output_format");
        if (!"raw".equals(f.path("container").asText("")) || !"pcm_s16le".equals(f.path("encoding").asText(""))
                || !RATES.contains(f.path("sample_rate").asInt())) {
            return "output_format must be raw pcm_s16le at a supported sample_rate (this fake streams pcm_s16le)";
        }
        return null;
    }

    private static String fixed(JsonNode n) {
        ObjectNode copy = ((ObjectNode) n).deepCopy();
        copy.remove(List.copyOf(VARYING));
        return copy.toString();
    }
}
