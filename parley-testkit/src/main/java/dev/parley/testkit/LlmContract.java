package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.ToolDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LanguageModel} must show. Extend it with a provider and two requests. */
public abstract class LlmContract {
    /** A fresh model (called once per test). */
    protected abstract LanguageModel llm();

    /** A request the model answers with text only. */
    protected abstract LlmRequest textRequest();

    /** A request the model answers with at least one call to one of its tools. */
    protected abstract LlmRequest toolRequest();

    /** A request whose answer streams long enough to be closed part-way; default {@link #textRequest()}. */
    protected LlmRequest longTextRequest() {
        return textRequest();
    }

    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @Test
    void textStreamEndsWithOneFinished() {
        try (var events = StreamRecorder.start(llm().stream(textRequest()))) {
            List<LlmEvent> all = events.awaitEnd(timeout());
            assertThat(all).as("events").isNotEmpty();
            assertThat(all.getLast()).as("last event").isInstanceOf(LlmEvent.Finished.class);
            assertThat(all).filteredOn(LlmEvent.Finished.class::isInstance).hasSize(1);
            assertThat(((LlmEvent.Finished) all.getLast()).reason()).isNotBlank();
            for (LlmEvent.Usage u : events.items(LlmEvent.Usage.class)) {
                assertThat(u.promptTokens()).isNotNegative();
                assertThat(u.completionTokens()).isNotNegative();
            }
        }
    }

    @Test
    void textDeltasAreNonEmptyAndFormAnAnswer() {
        try (var events = StreamRecorder.start(llm().stream(textRequest()))) {
            events.awaitEnd(timeout());
            var deltas = events.items(LlmEvent.TextDelta.class);
            assertThat(deltas).as("text deltas").isNotEmpty().allSatisfy(d -> assertThat(d.text()).isNotEmpty());
            String text = deltas.stream().map(LlmEvent.TextDelta::text).reduce("", String::concat);
            assertThat(text).isNotBlank();
        }
    }

    @Test
    void toolCallHasIdNameAndJsonObjectArguments() {
        LlmRequest request = toolRequest();
        var names = request.tools().stream().map(ToolDefinition::name).toList();
        try (var events = StreamRecorder.start(llm().stream(request))) {
            List<LlmEvent> all = events.awaitEnd(timeout());
            var calls = events.items(LlmEvent.ToolCallRequested.class);
            assertThat(calls).as("tool calls").isNotEmpty();
            for (var c : calls) {
                assertThat(c.call().id()).as("tool call id").isNotBlank();
                assertThat(c.call().name()).as("tool name").isIn(names);
                assertThat(JsonSyntax.isObject(c.call().argumentsJson()))
                        .as("arguments are a JSON object: %s", c.call().argumentsJson()).isTrue();
            }
            assertThat(all.getLast()).isInstanceOf(LlmEvent.Finished.class);
            assertThat(calls.stream().map(c -> c.call().id()).distinct().count()).as("distinct ids")
                    .isEqualTo(calls.size());
        }
    }

    @Test
    void closeMidStreamUnblocksNext() {
        LlmStream stream = llm().stream(longTextRequest());
        var events = StreamRecorder.start(stream);
        events.awaitItem(LlmEvent.TextDelta.class, timeout());
        events.awaitReaderBlocked(timeout());
        long t0 = System.nanoTime();
        stream.close();
        events.awaitDone(ContractSupport.CLOSE_BOUND);
        assertThat(events.failure()).as("next() after close").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ContractSupport.CLOSE_BOUND);
    }

    @Test
    void closeIsIdempotentAndLaterNextIsEmpty() throws Exception {
        LlmStream stream = llm().stream(textRequest());
        ContractSupport.closeFromManyThreads(stream);
        var events = StreamRecorder.start(stream);
        assertThat(events.awaitEnd(ContractSupport.CLOSE_BOUND)).isEmpty();
    }
}
