package dev.parley.openai;

import static dev.parley.openai.TestSupport.KEY;
import static dev.parley.openai.TestSupport.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.ToolCall;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import dev.parley.testkit.fakes.openai.FakeReply;
import dev.parley.testkit.fakes.openai.FakeToolCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Happy paths against the fake: events, request shape, configuration, warm-up. */
class OpenAiChatTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void parallelToolCallsAreAssembledByIndexAndUsageComesBeforeFinished() {
        var pizza = new FakeToolCall("call_a", "add_item", "{\"item\":\"pizza \\\"XL\\\"\",\"qty\":2}");
        var time = new FakeToolCall("call_b", "set_time", "{\"at\":\"19:00\",\"note\":\"café 😀 \\\\ done\"}");
        try (var server = FakeOpenAiServer.builder().apiKey(KEY).reply(FakeReply.textAndToolCalls("One moment.", pizza, time))
                .start(); var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Pizza at seven", TestSupport.ADD_ITEM,
                        TestSupport.SET_TIME)))) {
            List<LlmEvent> all = events.awaitEnd(WAIT);
            assertThat(TestSupport.text(all)).isEqualTo("One moment.");
            assertThat(events.items(LlmEvent.ToolCallRequested.class)).extracting(LlmEvent.ToolCallRequested::call)
                    .containsExactly(new ToolCall("call_a", "add_item", pizza.argumentsJson()),
                            new ToolCall("call_b", "set_time", time.argumentsJson()));
            var usage = events.items(LlmEvent.Usage.class);
            assertThat(usage).hasSize(1);
            assertThat(usage.getFirst().promptTokens()).isPositive();
            assertThat(usage.getFirst().completionTokens()).isPositive();
            assertThat(all.get(all.size() - 2)).isInstanceOf(LlmEvent.Usage.class);
            assertThat(all.getLast()).isEqualTo(new LlmEvent.Finished("tool_calls"));

            JsonNode body = server.chatRequests().getFirst().body();
            assertThat(server.chatRequests().getFirst().authorization()).contains("Bearer " + KEY);
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
            assertThat(body.path("tools").findValuesAsText("name")).containsExactly("add_item", "set_time");
        }
    }

    @Test
    void toolResultsAndInterruptedRepliesGoBackInTheHistory() {
        var call = new ToolCall("call_9", "add_item", "{\"item\":\"cola\"}");
        var request = new LlmRequest("call-1", "Take orders.", List.of(new ChatMessage.User("A cola"),
                new ChatMessage.Assistant("Sure,", List.of(call), false),
                new ChatMessage.ToolResult("call_9", "add_item", "{\"added\":true}"),
                new ChatMessage.Assistant("I added a cola. Would you", List.of(), true),
                new ChatMessage.User("That's all")), List.of(TestSupport.ADD_ITEM));
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.text("Thanks, bye.")).start();
                var chat = client(server).build(); var events = StreamRecorder.start(chat.stream(request))) {
            assertThat(TestSupport.text(events.awaitEnd(WAIT))).as("the fake validated the history").isEqualTo("Thanks, bye.");
            JsonNode messages = server.chatRequests().getFirst().body().path("messages");
            assertThat(messages.findValuesAsText("role")).containsExactly("system", "user", "assistant", "tool",
                    "assistant", "user");
            assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_9");
            assertThat(messages.get(4).path("content").asText()).isEqualTo("I added a cola. Would you");
        }
    }

    @Test
    void maxTokensReachesTheServerAndLengthIsReported() {
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.text("one two three four five six")).start();
                var chat = client(server).maxTokens(3).temperature(0.2).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Count")))) {
            List<LlmEvent> all = events.awaitEnd(WAIT);
            assertThat(TestSupport.text(all)).isEqualTo("one two three");
            assertThat(all.getLast()).isEqualTo(new LlmEvent.Finished("length"));
            JsonNode body = server.chatRequests().getFirst().body();
            assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(3);
            assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        }
    }

    @Test
    void environmentSuppliesKeyBaseUrlAndModel() {
        try (var server = FakeOpenAiServer.builder().apiKey("sk-env").start();
                var chat = OpenAiChat.builder().environment(Map.of(OpenAiChat.ENV_API_KEY, "sk-env",
                        OpenAiChat.ENV_BASE_URL, server.baseUrl() + "/", OpenAiChat.ENV_MODEL, "env-model")).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            assertThat(TestSupport.text(events.awaitEnd(WAIT))).isNotBlank();
            assertThat(server.chatRequests().getFirst().body().path("model").asText()).isEqualTo("env-model");
            assertThat(chat.name()).startsWith("OpenAI-compatible server at 127.0.0.1:").endsWith(":env-model");
        }
        assertThatThrownBy(() -> OpenAiChat.builder().environment(Map.of()).build())
                .isInstanceOf(OpenAiException.class).hasMessageContaining("set OPENAI_API_KEY");
    }

    @Test
    void warmUpOpensTheConnectionTheFirstTurnThenUses() {
        try (var server = FakeOpenAiServer.builder().apiKey(KEY).start(); var chat = client(server).build()) {
            Duration rtt = chat.warmUp();
            assertThat(rtt).isPositive();
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                events.awaitEnd(WAIT);
            }
            var requests = server.requests();
            assertThat(requests).extracting(r -> r.path()).containsExactly("/v1/models", "/v1/chat/completions");
            assertThat(requests.get(1).remotePort()).as("same pooled connection").isEqualTo(requests.get(0).remotePort());
        }
    }

    @Test
    void warmUpWithAWrongKeyFailsEarlyNamingTheVariable() {
        try (var server = FakeOpenAiServer.builder().apiKey(KEY).start();
                var chat = client(server).apiKey("sk-wrong").build()) {
            assertThatThrownBy(chat::warmUp).isInstanceOf(OpenAiException.class)
                    .hasMessageStartingWith("OpenAI rejected the API key (401): set OPENAI_API_KEY");
        }
    }

    @Test
    void serverWithoutStreamOptionsIsAskedAgainWithoutThemOnce() {
        try (var server = FakeOpenAiServer.builder().rejectStreamOptions(true).start(); var chat = client(server).build()) {
            for (int i = 0; i < 2; i++) {
                try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                    assertThat(TestSupport.text(events.awaitEnd(WAIT))).isNotBlank();
                }
            }
            assertThat(server.chatRequests()).extracting(r -> r.body().has("stream_options"))
                    .containsExactly(true, false, false);
        }
    }

    @Test
    void crlfLineEndingsAndKeepAliveCommentsAreParsed() {
        var reply = FakeReply.text("Open until ten.")
                .with(new FakeReply.StreamFault.Stall(2, Duration.ofMillis(600), true));
        try (var server = FakeOpenAiServer.builder().crlf(true).reply(reply).start();
                var chat = client(server).build(); var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            List<LlmEvent> all = events.awaitEnd(WAIT);
            assertThat(TestSupport.text(all)).as("600 ms quiet but keep-alives every 250 ms: no stall at 500 ms")
                    .isEqualTo("Open until ten.");
            assertThat(all.getLast()).isEqualTo(new LlmEvent.Finished("stop"));
        }
    }

    @Test
    void serverThatIgnoresTheStreamFlagStillGivesEvents() {
        var call = new FakeToolCall("call_w", "add_item", "{\"item\":\"tea\"}");
        try (var server = FakeOpenAiServer.builder().ignoreStream(true)
                .reply(FakeReply.textAndToolCalls("Adding tea.", call)).start();
                var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Tea", TestSupport.ADD_ITEM)))) {
            List<LlmEvent> all = events.awaitEnd(WAIT);
            assertThat(all).containsExactly(new LlmEvent.TextDelta("Adding tea."),
                    new LlmEvent.ToolCallRequested(new ToolCall("call_w", "add_item", "{\"item\":\"tea\"}")),
                    all.get(2), new LlmEvent.Finished("tool_calls"));
            assertThat(all.get(2)).isInstanceOf(LlmEvent.Usage.class);
        }
    }
}
