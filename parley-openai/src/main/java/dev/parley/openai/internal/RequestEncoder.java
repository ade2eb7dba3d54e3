package dev.parley.openai.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.ToolCall;
import dev.parley.spi.ToolDefinition;
import java.io.UncheckedIOException;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Builds the JSON body of a streamed {@code POST /chat/completions} from an {@link LlmRequest}. */
public final class RequestEncoder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestEncoder() {}

    /**
     * How to shape the body.
     *
     * @param legacyMaxTokens send {@code max_tokens} instead of {@code max_completion_tokens}
     * @param includeUsage send {@code stream_options: {include_usage: true}}
     * @param systemNotesAsUser send system messages after the first one as user messages marked
     *     {@code [system]}, for chat templates that accept a system message only at the start
     */
    public record Options(String model, OptionalDouble temperature, OptionalInt maxTokens, boolean legacyMaxTokens,
            boolean includeUsage, boolean systemNotesAsUser) {}

    /** The request body as UTF-8 JSON. */
    public static byte[] encode(LlmRequest request, Options o) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", o.model());
        body.put("stream", true);
        if (o.includeUsage()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        ArrayNode messages = body.putArray("messages");
        if (!request.instructions().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.instructions());
        }
        for (ChatMessage m : request.messages()) {
            message(messages, m, o);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name());
                if (!t.description().isBlank()) {
                    fn.put("description", t.description());
                }
                if (!t.parametersSchema().isBlank()) {
                    fn.set("parameters", schema(t));
                }
            }
            body.put("tool_choice", "auto");
        }
        o.temperature().ifPresent(v -> body.put("temperature", v));
        o.maxTokens().ifPresent(v -> body.put(o.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", v));
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void message(ArrayNode messages, ChatMessage m, Options o) {
        switch (m) {
            case ChatMessage.User u -> messages.addObject().put("role", "user").put("content", u.text());
            case ChatMessage.System s -> {
                boolean first = messages.isEmpty();
                if (o.systemNotesAsUser() && !first) {
                    messages.addObject().put("role", "user").put("content", "[system] " + s.text());
                } else {
                    messages.addObject().put("role", "system").put("content", s.text());
                }
            }
            case ChatMessage.Assistant a -> {
                if (a.text().isEmpty() && a.toolCalls().isEmpty()) {
                    return; // cut off before the caller heard a word: nothing was said
                }
                ObjectNode n = messages.addObject().put("role", "assistant");
                if (a.text().isEmpty()) {
                    n.putNull("content");
                } else {
                    n.put("content", a.text()); // for an interrupted reply: only the words the caller heard
                }
                if (!a.toolCalls().isEmpty()) {
                    ArrayNode calls = n.putArray("tool_calls");
                    for (ToolCall c : a.toolCalls()) {
                        ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                        call.putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
                    }
                }
            }
            case ChatMessage.ToolResult r -> messages.addObject().put("role", "tool").put("tool_call_id", r.callId())
                    .put("content", r.content());
        }
    }

    private static JsonNode schema(ToolDefinition t) {
        try {
            JsonNode schema = MAPPER.readTree(t.parametersSchema());
            if (schema == null || !schema.isObject()) {
                throw new IllegalArgumentException("parameters schema of tool " + t.name() + " is not a JSON object");
            }
            return schema;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("parameters schema of tool " + t.name() + " is not valid JSON", e);
        }
    }
}
