package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine as an SPI model: event shapes, streaming, ids, and robustness to odd histories. */
class OrderEngineStepTest {
    private final OrderEngine engine = OrderEngine.offline(TestMenus.TONYS);

    private List<LlmEvent> events(List<ChatMessage> history) {
        List<LlmEvent> out = new ArrayList<>();
        try (LlmStream stream = engine.stream(new LlmRequest("CA", "", history, List.of()))) {
            for (Optional<LlmEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                out.add(e.get());
            }
        }
        return out;
    }

    private static List<ToolCall> calls(List<LlmEvent> events) {
        return events.stream().filter(e -> e instanceof LlmEvent.ToolCallRequested)
                .map(e -> ((LlmEvent.ToolCallRequested) e).call()).toList();
    }

    @Test
    void textStepStreamsWordGroupsThenStops() {
        List<LlmEvent> events = events(List.of(new ChatMessage.User("hello")));

        List<String> deltas = events.stream().filter(e -> e instanceof LlmEvent.TextDelta)
                .map(e -> ((LlmEvent.TextDelta) e).text()).toList();
        assertThat(deltas).hasSizeGreaterThanOrEqualTo(3);
        assertThat(String.join("", deltas)).isEqualTo("Hi, thanks for calling Tony's Pizza! What can I get for you?");
        assertThat(events.getLast()).isEqualTo(new LlmEvent.Finished("stop"));
        assertThat(events).anyMatch(e -> e instanceof LlmEvent.Usage);
    }

    @Test
    void toolStepRequestsCallsWithJsonArgumentsThenFinishesWithToolCalls() {
        List<LlmEvent> events = events(List.of(new ChatMessage.User("two large pepperoni pizzas with extra cheese")));

        assertThat(calls(events)).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("add_item");
            assertThat(c.argumentsJson()).isEqualTo(
                    "{\"item\":\"pepperoni pizza\",\"size\":\"large\",\"quantity\":2,\"modifiers\":[\"extra cheese\"]}");
        });
        assertThat(events.getLast()).isEqualTo(new LlmEvent.Finished("tool_calls"));
        assertThat(events).noneMatch(e -> e instanceof LlmEvent.TextDelta);
    }

    @Test
    void toolCallIdsAreStableForTheSameTurnAndDifferAcrossTurns() {
        List<ChatMessage> history = new ArrayList<>(List.of(new ChatMessage.User("a coke")));
        String first = calls(events(history)).getFirst().id();
        assertThat(calls(events(history)).getFirst().id()).as("a speculative re-run reuses the key").isEqualTo(first);

        history.add(new ChatMessage.Assistant("", List.of(new ToolCall(first, "add_item", "{}")), false));
        history.add(new ChatMessage.ToolResult(first, "add_item", "{\"ok\":false,\"error\":\"x\",\"message\":\"m\"}"));
        history.add(ChatMessage.Assistant.text("m"));
        history.add(new ChatMessage.User("a coke"));
        assertThat(calls(events(history)).getFirst().id()).isNotEqualTo(first);

        List<ChatMessage> other = List.of(new ChatMessage.User("a sprite"));
        assertThat(calls(events(other)).getFirst().id()).isNotEqualTo(first);
    }

    @Test
    void closeEndsTheStream() {
        LlmStream stream = engine.stream(new LlmRequest("CA", "", List.of(new ChatMessage.User("hello")), List.of()));
        assertThat(stream.next()).isPresent();
        stream.close();
        assertThat(stream.next()).isEmpty();
        stream.close();
    }

    @Test
    void emptyHistoryGreets() {
        assertThat(events(List.of()).getFirst()).isInstanceOf(LlmEvent.TextDelta.class);
    }

    @Test
    void keysDeliveredAsASystemMessageCount() {
        List<ChatMessage> history = List.of(new ChatMessage.System("Caller pressed keys: 0"));

        assertThat(calls(events(history))).extracting(ToolCall::name).containsExactly("transfer_to_human");
    }

    @Test
    void unknownKeyIsExplained() {
        EngineHarness call = EngineHarness.tonys();

        assertThat(call.press("7").text()).startsWith("Sorry, that key doesn't do anything");
    }

    @Test
    void aSizeQuestionCutBeforeItWasHeardDoesNotCaptureTheNextAnswer() {
        EngineHarness call = EngineHarness.tonys();
        call.say("a pepperoni pizza");
        call.interruptLastReply("What");
        var turn = call.say("large");

        assertThat(turn.calls()).isEmpty();
        assertThat(call.cart().lines()).isEmpty();
    }

    @Test
    void unclearSizeAnswerRepeatsTheQuestion() {
        EngineHarness call = EngineHarness.tonys();
        call.say("two supreme pizzas");
        var turn = call.say("hmm let me think");

        assertThat(turn.text()).isEqualTo("Sorry, what size would you like for the supreme pizzas: small, medium or large?");
        call.say("small");
        assertThat(call.lines()).containsExactly("2 small supreme_pizza");
    }

    @Test
    void whichPizzaThenTheKindThenTheSize() {
        EngineHarness call = EngineHarness.tonys();
        call.say("i want a pizza");
        call.say("the barbecue chicken");
        call.say("medium");

        assertThat(call.lines()).containsExactly("1 medium barbecue_chicken_pizza");
    }

    @Test
    void changeOneItemIntoAnother() {
        EngineHarness call = EngineHarness.tonys();
        call.say("a large coke and a brownie");
        call.say("change the coke to a root beer");

        assertThat(call.lines()).containsExactly("1 regular brownie", "1 large root_beer");
    }

    @Test
    void correctionNamingAnItemInTheCart() {
        EngineHarness call = EngineHarness.tonys();
        call.say("a small pepperoni pizza and a sprite");
        var turn = call.say("make that two pepperoni pizzas");

        assertThat(turn.toolNames()).containsExactly("update_item");
        assertThat(call.lines()).containsExactly("2 small pepperoni_pizza", "1 medium sprite");
    }

    @Test
    void menuQuestionsDoNotTouchTheCart() {
        EngineHarness call = EngineHarness.tonys();
        assertThat(call.say("what's on the menu").text())
                .isEqualTo("We have pizzas, burgers and sandwiches, sides, drinks, desserts and combo meals. What can I get for you?");
        assertThat(call.say("how much is the cheesecake").text()).isEqualTo("A cheesecake is four dollars and ninety nine cents.");
        assertThat(call.say("what comes with the burger combo").text())
                .isEqualTo("The burger combo comes with a classic burger, fries and a coke, for eleven dollars and ninety nine cents.");
        assertThat(call.say("how much are the wings").text())
                .isEqualTo("The chicken wings are eight dollars and ninety nine cents for a small and fifteen dollars and ninety nine cents for a large.");
        assertThat(call.cart().version()).isZero();
    }

    @Test
    void readBackOnRequestEndsWithAnythingElse() {
        EngineHarness call = EngineHarness.tonys();
        call.say("two orders of large fries");
        var turn = call.say("what do i have so far");

        assertThat(turn.text()).isEqualTo("You have two orders of large fries. Your total is eight dollars and ninety"
                + " eight cents. Anything else?");
    }

    @Test
    void modifierTheItemDoesNotAllowIsRefusedClearly() {
        EngineHarness call = EngineHarness.tonys();
        var turn = call.say("a sprite with extra cheese");

        assertThat(call.cart().lines()).isEmpty();
        assertThat(turn.text()).startsWith("Sorry, we can't do extra cheese on the sprite.");
    }
}
