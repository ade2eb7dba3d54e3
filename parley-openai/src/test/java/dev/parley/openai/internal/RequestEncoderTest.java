package dev.parley.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.ToolCall;
import dev.parley.spi.ToolDefinition;
import dev.parley.spi.ToolPolicy;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RequestEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ToolDefinition ADD = new ToolDefinition("add_item", "Adds an item",
            "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"}},\"required\":[\"item\"]}",
            ToolPolicy.RUN_TO_COMPLETION, Duration.ofSeconds(5));

    private static JsonNode encode(LlmRequest r, RequestEncoder.Options o) throws Exception {
        return MAPPER.readTree(RequestEncoder.encode(r, o));
    }

    private static RequestEncoder.Options options(boolean legacy, boolean usage, boolean notesAsUser) {
        return new RequestEncoder.Options("gpt-test", OptionalDouble.of(0.3), OptionalInt.of(200), legacy, usage,
                notesAsUser);
    }

    @Test
    void historyToolsAndOptionsAreEncodedAsTheApiExpects() throws Exception {
        var call = new ToolCall("call_1", "add_item", "{\"item\":\"pizza\"}");
        var req = new LlmRequest("c1", "Take orders.", List.of(new ChatMessage.User("A pizza"),
                new ChatMessage.Assistant("One moment", List.of(call), false),
                new ChatMessage.ToolResult("call_1", "add_item", "{\"ok\":true}"),
                new ChatMessage.Assistant("Added. Anything", List.of(), true),
                new ChatMessage.Assistant("", List.of(), true),
                new ChatMessage.System("the caller pressed 1"), new ChatMessage.User("No thanks")), List.of(ADD));
        JsonNode body = encode(req, options(false, true, false));
        assertThat(body.path("model").asText()).isEqualTo("gpt-test");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(200);
        assertThat(body.has("max_tokens")).isFalse();
        JsonNode m = body.path("messages");
        assertThat(m).hasSize(7);
        assertThat(m.get(0).toString()).isEqualTo("{\"role\":\"system\",\"content\":\"Take orders.\"}");
        assertThat(m.get(1).toString()).isEqualTo("{\"role\":\"user\",\"content\":\"A pizza\"}");
        assertThat(m.get(2).path("content").asText()).isEqualTo("One moment");
        assertThat(m.get(2).path("tool_calls").get(0).toString()).isEqualTo("{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"add_item\",\"arguments\":\"{\\\"item\\\":\\\"pizza\\\"}\"}}");
        assertThat(m.get(3).toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"{\\\"ok\\\":true}\"}");
        assertThat(m.get(4).toString()).as("interrupted: only the heard words")
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"Added. Anything\"}");
        assertThat(m.get(5).toString()).as("the empty interrupted message is left out")
                .isEqualTo("{\"role\":\"system\",\"content\":\"the caller pressed 1\"}");
        JsonNode fn = body.path("tools").get(0);
        assertThat(fn.path("type").asText()).isEqualTo("function");
        assertThat(fn.path("function").path("name").asText()).isEqualTo("add_item");
        assertThat(fn.path("function").path("parameters").path("required").get(0).asText()).isEqualTo("item");
        assertThat(body.path("tool_choice").asText()).isEqualTo("auto");
    }

    @Test
    void compatibilityOptionsChangeTheShape() throws Exception {
        var req = new LlmRequest("c1", "Be brief.", List.of(new ChatMessage.User("Hi"),
                new ChatMessage.System("note")), List.of());
        JsonNode body = encode(req, options(true, false, true));
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(200);
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
        assertThat(body.path("messages").get(2).toString()).isEqualTo("{\"role\":\"user\",\"content\":\"[system] note\"}");
        var assistantToolOnly = new LlmRequest("c1", "", List.of(new ChatMessage.Assistant("",
                List.of(new ToolCall("c", "add_item", "{}")), false)), List.of());
        JsonNode m = encode(assistantToolOnly, options(false, true, false)).path("messages");
        assertThat(m).as("blank instructions send no system message").hasSize(1);
        assertThat(m.get(0).path("content").isNull()).isTrue();
    }

    @Test
    void invalidSchemaIsRejectedWithTheToolName() {
        var bad = new ToolDefinition("broken", "", "{not json", ToolPolicy.RUN_TO_COMPLETION, Duration.ofSeconds(1));
        var req = new LlmRequest("c1", "", List.of(new ChatMessage.User("x")), List.of(bad));
        assertThatThrownBy(() -> RequestEncoder.encode(req, options(false, true, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken");
    }
}
