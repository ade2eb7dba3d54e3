package dev.parley.openai.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.openai.OpenAiException;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@code chat.completion.chunk} payloads of one streamed step into {@link LlmEvent}s.
 * Text deltas pass straight through. Tool-call fragments are assembled by {@code index} (id and name
 * from the first fragment of an index, arguments concatenated in order) and emitted as complete
 * calls when the choice finishes, or at {@code [DONE]}. Usage is read from {@code usage} or Groq's
 * {@code x_groq.usage}. Tolerates what compatible servers do differently: missing ids (generated),
 * whole-argument calls, object-valued arguments, one index reused by several calls, {@code stop}
 * instead of {@code tool_calls}, no {@code finish_reason} at all, empty {@code choices}. Not
 * thread-safe.
 */
public final class ChunkAssembler {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String provider;
    private final String idPrefix = "call_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "_";
    private final Map<Integer, Call> byIndex = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private int syntheticIndex = -1;
    private @Nullable Integer lastIndex;
    private @Nullable String finishReason;
    private LlmEvent.@Nullable Usage usage;
    private boolean finished;

    public ChunkAssembler(String provider) {
        this.provider = provider;
    }

    private static final class Call {
        @Nullable String id;
        @Nullable String name;
        final StringBuilder arguments = new StringBuilder();
        boolean emitted;
    }

    /** Parses one data payload (not {@code [DONE]}) and appends the events it completes to {@code out}. */
    public void accept(String data, List<LlmEvent> out) {
        JsonNode chunk;
        try {
            chunk = MAPPER.readTree(data);
        } catch (JacksonException e) {
            throw malformed("a chunk that is not valid JSON", data, e);
        }
        if (chunk == null || !chunk.isObject()) {
            throw malformed("a chunk that is not a JSON object", data, null);
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw Errors.streamError(provider, error.isObject() ? error : chunk);
        }
        readUsage(chunk.get("usage"));
        readUsage(chunk.path("x_groq").get("usage"));
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue; // only the first choice is spoken
            }
            JsonNode delta = choice.has("delta") ? choice.path("delta") : choice.path("message");
            text(delta.get("content"), out);
            text(delta.get("refusal"), out);
            for (JsonNode fragment : delta.path("tool_calls")) {
                fragment(fragment, data);
            }
            JsonNode legacy = delta.get("function_call");
            if (legacy != null && legacy.isObject()) {
                fragment(MAPPER.createObjectNode().put("index", 0).set("function", legacy), data);
            }
            JsonNode reason = choice.get("finish_reason");
            if (reason != null && reason.isTextual() && !reason.asText().isEmpty()) {
                finishReason = reason.asText();
                emitCalls(out);
            }
        }
    }

    /** At {@code [DONE]}: emits the calls not yet emitted, the usage and {@link LlmEvent.Finished}. */
    public void finish(List<LlmEvent> out) {
        if (finished) {
            return;
        }
        finished = true;
        emitCalls(out);
        if (usage != null) {
            out.add(usage);
        }
        String reason = finishReason != null ? finishReason : calls.isEmpty() ? "stop" : "tool_calls";
        if (!calls.isEmpty() && reason.equals("stop")) {
            reason = "tool_calls"; // servers that say stop after tool calls (shared/protocols §4, Ollama)
        }
        out.add(new LlmEvent.Finished(reason));
    }

    /**
     * At the end of the body without {@code [DONE]}: finishes like {@link #finish} and returns true
     * if the choice had finished, else returns false (the stream was cut).
     */
    public boolean end(List<LlmEvent> out) {
        if (finished) {
            return true;
        }
        if (finishReason == null) {
            return false;
        }
        finish(out);
        return true;
    }

    private void text(@Nullable JsonNode node, List<LlmEvent> out) {
        if (node != null && node.isTextual() && !node.asText().isEmpty()) {
            out.add(new LlmEvent.TextDelta(node.asText()));
        }
    }

    private void fragment(JsonNode f, String data) {
        String id = f.path("id").isTextual() && !f.path("id").asText().isEmpty() ? f.path("id").asText() : null;
        int index;
        if (f.path("index").canConvertToInt()) {
            index = f.path("index").asInt();
        } else if (id != null || lastIndex == null) {
            index = syntheticIndex--;
        } else {
            index = lastIndex;
        }
        Call call = byIndex.get(index);
        String name = f.path("function").path("name").asText("");
        boolean reused = call != null && ((id != null && call.id != null && !call.id.equals(id))
                || (!name.isEmpty() && call.name != null && !call.name.equals(name)) || call.emitted);
        if (call == null || reused) {
            call = new Call();
            byIndex.put(index, call);
            calls.add(call);
        }
        lastIndex = index;
        if (id != null && call.id == null) {
            call.id = id;
        }
        if (!name.isEmpty() && call.name == null) {
            call.name = name;
        }
        JsonNode args = f.path("function").get("arguments");
        if (args != null && args.isTextual()) {
            call.arguments.append(args.asText());
        } else if (args != null && args.isObject()) {
            call.arguments.setLength(0);
            call.arguments.append(args.toString());
        }
    }

    private void emitCalls(List<LlmEvent> out) {
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (c.emitted) {
                continue;
            }
            if (c.name == null) {
                throw malformed("a tool call without a function name", "", null);
            }
            c.emitted = true;
            String args = c.arguments.toString().isBlank() ? "{}" : c.arguments.toString();
            out.add(new LlmEvent.ToolCallRequested(new ToolCall(c.id != null ? c.id : idPrefix + i, c.name, args)));
        }
    }

    private void readUsage(@Nullable JsonNode u) {
        if (u != null && u.isObject() && u.has("prompt_tokens")) {
            usage = new LlmEvent.Usage(u.path("prompt_tokens").asInt(0), u.path("completion_tokens").asInt(0));
        }
    }

    private OpenAiException malformed(String what, String data, @Nullable Throwable cause) {
        String sample = data.length() > 80 ? data.substring(0, 80) + "…" : data;
        return new OpenAiException(provider + " sent " + what + (sample.isEmpty() ? "" : " (" + sample.length()
                + " chars starting " + sample.substring(0, Math.min(24, sample.length())) + ")"), false, cause);
    }
}
