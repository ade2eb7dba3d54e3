package dev.parley.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.openai.OpenAiException;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkAssemblerTest {
    private final ChunkAssembler a = new ChunkAssembler("TestAI");
    private final List<LlmEvent> out = new ArrayList<>();

    private void feed(String... chunks) {
        for (String c : chunks) {
            a.accept(c, out);
        }
    }

    private static String delta(String delta, String finish) {
        return "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
    }

    private static String frag(int index, String rest) {
        return delta("{\"tool_calls\":[{\"index\":" + index + rest + "}]}", "null");
    }

    private List<ToolCall> calls() {
        return out.stream().filter(LlmEvent.ToolCallRequested.class::isInstance)
                .map(e -> ((LlmEvent.ToolCallRequested) e).call()).toList();
    }

    @Test
    void interleavedParallelFragmentsAreAssembledByIndex() {
        feed(frag(0, ",\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"add_item\",\"arguments\":\"\"}"),
                frag(1, ",\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"set_time\",\"arguments\":\"\"}"),
                frag(0, ",\"function\":{\"arguments\":\"{\\\"item\\\":\\\"pi\"}"),
                frag(1, ",\"function\":{\"arguments\":\"{\\\"at\\\":\\\"19:\"}"),
                frag(0, ",\"function\":{\"arguments\":\"zza \\\\\\\"XL\\\\\\\"\\\"}\"}"),
                frag(1, ",\"function\":{\"arguments\":\"00\\\"}\"}"));
        assertThat(calls()).as("nothing before finish").isEmpty();
        feed(delta("{}", "\"tool_calls\""));
        assertThat(calls()).containsExactly(new ToolCall("call_a", "add_item", "{\"item\":\"pizza \\\"XL\\\"\"}"),
                new ToolCall("call_b", "set_time", "{\"at\":\"19:00\"}"));
        feed("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}");
        a.finish(out);
        assertThat(out.subList(out.size() - 2, out.size()))
                .containsExactly(new LlmEvent.Usage(12, 7), new LlmEvent.Finished("tool_calls"));
    }

    @Test
    void textDeltasPassThroughAndEmptyOnesAreDropped() {
        feed(delta("{\"role\":\"assistant\",\"content\":\"\"}", "null"), delta("{\"content\":\"Hi\"}", "null"),
                delta("{\"content\":null}", "null"), delta("{\"content\":\" there\"}", "\"stop\""));
        a.finish(out);
        assertThat(out).containsExactly(new LlmEvent.TextDelta("Hi"), new LlmEvent.TextDelta(" there"),
                new LlmEvent.Finished("stop"));
    }

    @Test
    void ollamaStyleWholeCallWithStopIsReportedAsToolCalls() {
        feed(delta("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_x\",\"index\":0,"
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}", "null"),
                delta("{\"role\":\"assistant\",\"content\":\"\"}", "\"stop\""));
        a.finish(out);
        assertThat(calls()).containsExactly(new ToolCall("call_x", "f", "{\"a\":1}"));
        assertThat(out.getLast()).isEqualTo(new LlmEvent.Finished("tool_calls"));
    }

    @Test
    void missingIdsAreGeneratedDistinctAndMissingArgumentsBecomeAnEmptyObject() {
        feed(frag(0, ",\"function\":{\"name\":\"f\",\"arguments\":\"\"}"),
                frag(1, ",\"function\":{\"name\":\"g\"}"));
        a.finish(out);
        assertThat(calls()).hasSize(2);
        assertThat(calls().get(0).id()).isNotBlank().isNotEqualTo(calls().get(1).id());
        assertThat(calls().get(1).argumentsJson()).isEqualTo("{}");
        assertThat(out.getLast()).as("no finish_reason, but tool calls").isEqualTo(new LlmEvent.Finished("tool_calls"));
    }

    @Test
    void objectArgumentsAndIndexReusedByAnotherCallAreTolerated() {
        feed(frag(0, ",\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}"),
                frag(0, ",\"id\":\"c2\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}"));
        a.finish(out);
        assertThat(calls()).containsExactly(new ToolCall("c1", "f", "{\"a\":1}"), new ToolCall("c2", "g", "{}"));
    }

    @Test
    void repeatedIdAndNameInLaterFragmentsAreNotConcatenated() {
        feed(frag(0, ",\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}"),
                frag(0, ",\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\":1}\"}"));
        a.finish(out);
        assertThat(calls()).containsExactly(new ToolCall("c1", "f", "{\"a\":1}"));
    }

    @Test
    void groqUsageIsReadFromXGroq() {
        feed(delta("{\"content\":\"ok\"}", "null"), "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"queue_time\":0.1}}}");
        assertThat(a.end(out)).isTrue();
        assertThat(out).containsExactly(new LlmEvent.TextDelta("ok"), new LlmEvent.Usage(5, 1),
                new LlmEvent.Finished("stop"));
    }

    @Test
    void emptyChoicesAndOtherChoicesAreIgnored() {
        feed("{\"choices\":[]}", "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}}]}");
        assertThat(out).isEmpty();
        assertThat(a.end(out)).as("cut before finish").isFalse();
    }

    @Test
    void midStreamErrorEventIsARetryableFailure() {
        assertThatThrownBy(() -> feed("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"))
                .isInstanceOfSatisfying(OpenAiException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e).hasMessageContaining("TestAI failed mid-stream").hasMessageContaining("server had an error");
                });
    }

    @Test
    void malformedChunkIsANonRetryableFailure() {
        assertThatThrownBy(() -> feed("{\"choices\":[{\"delta\":{\"content\":\"tru"))
                .isInstanceOfSatisfying(OpenAiException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e).hasMessageContaining("TestAI sent a chunk that is not valid JSON");
                });
    }
}
