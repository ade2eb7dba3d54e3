package dev.parley.testkit.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.resilience.ModelRouter;
import dev.parley.resilience.RoutingRule;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.ToolCall;
import dev.parley.testkit.FakeLlm;
import dev.parley.testkit.LlmStep;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelRouterTest {
    private final FakeLlm mini = FakeLlm.builder().name("mini").responder(r -> LlmStep.text("mini answer.")).build();
    private final FakeLlm large = FakeLlm.builder().name("large").responder(r -> LlmStep.text("large answer.")).build();
    private final ModelRouter router = ModelRouter.builder().simple(mini).complex(large).build();

    static LlmRequest request(String callId, ChatMessage... messages) {
        return new LlmRequest(callId, "Take pizza orders.", List.of(messages), List.of());
    }

    static String answer(ModelRouter router, LlmRequest request) {
        var sb = new StringBuilder();
        try (var s = router.stream(request)) {
            for (Optional<LlmEvent> e = s.next(); e.isPresent(); e = s.next()) {
                if (e.get() instanceof LlmEvent.TextDelta(String t)) {
                    sb.append(t);
                }
            }
        }
        return sb.toString();
    }

    @Test
    void shortTurnsGoToTheCheapModelAndComplexOnesToTheLargeOne() throws Exception {
        try (var reports = new Reports()) {
            assertThat(answer(router, request(reports.callId, new ChatMessage.User("a large pepperoni please"))))
                    .isEqualTo("mini answer.");
            assertThat(answer(router, request(reports.callId, new ChatMessage.User(
                    "so my order last week arrived cold and the driver was rude and I would like to know what you can do"
                            + " about it because this is not the first time"))))
                    .isEqualTo("large answer.");
            assertThat(answer(router, request(reports.callId, new ChatMessage.User("Why is it so expensive?"))))
                    .isEqualTo("large answer.");
            assertThat(answer(router, request(reports.callId, new ChatMessage.User("add a pizza"),
                    new ChatMessage.Assistant("", List.of(new ToolCall("c1", "add_item", "{}")), false),
                    new ChatMessage.ToolResult("c1", "add_item", "{\"ok\":true}"))))
                    .isEqualTo("large answer.");

            assertThat(mini.requests()).hasSize(1);
            assertThat(large.requests()).hasSize(3);
            var routing = reports.of("routing");
            assertThat(routing).extracting(e -> e.provider()).containsExactly("mini", "large", "large", "large");
            assertThat(routing).extracting(e -> e.detail()).containsExactly(
                    "simple: short: 4 words, 0 tool calls", "complex: long: 31 words > 20", "complex: keyword: why",
                    "complex: tool results: 1");
            assertThat(routing).allSatisfy(e -> assertThat(e.detail()).doesNotContain("pepperoni", "driver"));
        }
    }

    @Test
    void theRuleIsConfigurable() {
        var rule = RoutingRule.builder().maxSimpleWords(3).toolResultsAreComplex(false).complexToolCalls(2)
                .keywords("refund").build();
        var results = request("c", new ChatMessage.User("add a pizza"),
                new ChatMessage.Assistant("", List.of(new ToolCall("c1", "add_item", "{}")), false),
                new ChatMessage.ToolResult("c1", "add_item", "ok"));
        assertThat(rule.decide(results).complexity()).isEqualTo(RoutingRule.Complexity.SIMPLE);
        assertThat(rule.decide(request("c", new ChatMessage.User("one two three four"))).complexity())
                .isEqualTo(RoutingRule.Complexity.COMPLEX);
        assertThat(rule.decide(request("c", new ChatMessage.User("Refund!"))).reason()).isEqualTo("keyword: refund");
        var twoCalls = request("c", new ChatMessage.User("two pizzas"),
                new ChatMessage.Assistant("", List.of(new ToolCall("c1", "add", "{}"), new ToolCall("c2", "add", "{}")),
                        false));
        assertThat(rule.decide(twoCalls).reason()).isEqualTo("tool calls: 2 >= 2");
        RoutingRule custom = r -> new RoutingRule.Decision(RoutingRule.Complexity.COMPLEX, "always");
        var always = ModelRouter.builder().simple(mini).complex(large).rule(custom).build();
        assertThat(always.decide(request("c", new ChatMessage.User("hi"))).complexity())
                .isEqualTo(RoutingRule.Complexity.COMPLEX);
    }
}
