package dev.parley.openai;

import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmRequest;
import dev.parley.testkit.LlmContract;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import dev.parley.testkit.fakes.openai.FakeReply;
import dev.parley.testkit.fakes.openai.FakeToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The LLM contract, run against the loopback fake speaking the real wire protocol. */
class OpenAiChatContractTest extends LlmContract {
    private static FakeOpenAiServer server;
    private final List<OpenAiChat> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = FakeOpenAiServer.builder().apiKey(TestSupport.KEY).timeToFirstToken(Duration.ofMillis(20))
                .tokensPerSecond(100).responder(req -> {
                    if (req.path("tools").size() > 0) {
                        return FakeReply.textAndToolCalls("Adding that.",
                                new FakeToolCall("call_1", "add_item", "{\"item\": \"large pizza\", \"qty\": 1}"),
                                new FakeToolCall("call_2", "add_item", "{\"item\": \"cola\", \"qty\": 2}"));
                    }
                    if (req.path("messages").get(0).path("content").asText().contains("long")) {
                        return FakeReply.text("Sure. ".repeat(60));
                    }
                    return FakeReply.text("We are open until ten tonight.");
                }).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(OpenAiChat::close);
    }

    @Override
    protected LanguageModel llm() {
        OpenAiChat chat = TestSupport.client(server).build();
        clients.add(chat);
        return chat;
    }

    @Override
    protected LlmRequest textRequest() {
        return TestSupport.ask("When do you close?");
    }

    @Override
    protected LlmRequest toolRequest() {
        return TestSupport.ask("A large pizza and two colas please", TestSupport.ADD_ITEM);
    }

    @Override
    protected LlmRequest longTextRequest() {
        return new LlmRequest("call-1", "Give a long answer.", List.of(new dev.parley.spi.ChatMessage.User("Tell me")),
                List.of());
    }
}
