package dev.parley.openai;

import static dev.parley.openai.TestSupport.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.LlmEvent;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.fakes.openai.ChunkStyle;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import dev.parley.testkit.fakes.openai.FakeReply;
import dev.parley.testkit.fakes.openai.FakeToolCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chunk shapes of compatible servers (Groq, Ollama, vLLM, llama.cpp) give the same events. */
class OpenAiQuirksTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final FakeToolCall A = new FakeToolCall("call_a", "add_item", "{\"item\":\"garlic bread\",\"qty\":1}");
    private static final FakeToolCall B = new FakeToolCall("call_b", "set_time", "{\"at\":\"18:30\"}");

    @ParameterizedTest
    @EnumSource(ChunkStyle.class)
    void textThenParallelToolCalls(ChunkStyle style) {
        try (var server = FakeOpenAiServer.builder().style(style)
                .reply(FakeReply.textAndToolCalls("Let me add that.", A, B), FakeReply.text("Done, see you at six thirty."))
                .start(); var chat = client(server).build()) {
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Bread at 6:30", TestSupport.ADD_ITEM,
                    TestSupport.SET_TIME)))) {
                List<LlmEvent> all = events.awaitEnd(WAIT);
                assertThat(TestSupport.text(all)).isEqualTo("Let me add that.");
                var calls = events.items(LlmEvent.ToolCallRequested.class).stream().map(LlmEvent.ToolCallRequested::call)
                        .toList();
                assertThat(calls).extracting(c -> c.name() + c.argumentsJson())
                        .containsExactly(A.name() + A.argumentsJson(), B.name() + B.argumentsJson());
                assertThat(calls).allSatisfy(c -> assertThat(c.id()).isNotBlank());
                assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());
                assertThat(all.getLast()).isEqualTo(new LlmEvent.Finished("tool_calls"));
                assertThat(events.items(LlmEvent.Usage.class)).as("usage").hasSize(style == ChunkStyle.OLLAMA ? 0 : 1);
            }
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Thanks")))) {
                List<LlmEvent> all = events.awaitEnd(WAIT);
                assertThat(TestSupport.text(all)).isEqualTo("Done, see you at six thirty.");
                assertThat(all.getLast()).isEqualTo(new LlmEvent.Finished("stop"));
            }
        }
    }
}
