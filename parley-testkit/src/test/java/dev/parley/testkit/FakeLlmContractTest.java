package dev.parley.testkit;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.ToolDefinition;
import dev.parley.spi.ToolPolicy;
import java.time.Duration;
import java.util.List;

class FakeLlmContractTest extends LlmContract {
    private static final ToolDefinition ADD_ITEM = new ToolDefinition("add_item", "Adds an item to the cart",
            "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"}}}", ToolPolicy.RUN_TO_COMPLETION,
            Duration.ofSeconds(5));

    @Override
    protected LanguageModel llm() {
        return FakeLlm.builder()
                .timeToFirstToken(Duration.ofMillis(20))
                .tokensPerSecond(50)
                .responder(req -> {
                    if (!req.tools().isEmpty()) {
                        return LlmStep.toolCall("call_1", "add_item", "{\"item\": \"large pizza\", \"qty\": 1}");
                    }
                    if (req.instructions().contains("long")) {
                        return LlmStep.text("Sure. ".repeat(60));
                    }
                    return LlmStep.text("We are open until ten tonight.");
                })
                .build();
    }

    @Override
    protected LlmRequest textRequest() {
        return new LlmRequest("c1", "Be brief.", List.of(new ChatMessage.User("When do you close?")), List.of());
    }

    @Override
    protected LlmRequest toolRequest() {
        return new LlmRequest("c1", "Take orders.", List.of(new ChatMessage.User("A large pizza please")),
                List.of(ADD_ITEM));
    }

    @Override
    protected LlmRequest longTextRequest() {
        return new LlmRequest("c1", "Give a long answer.", List.of(new ChatMessage.User("Tell me")), List.of());
    }
}
