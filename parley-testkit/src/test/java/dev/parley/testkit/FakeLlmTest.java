package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeLlmTest {
    private static final Duration WAIT = Duration.ofSeconds(3);

    private static LlmRequest request(String userText) {
        return new LlmRequest("c", "Be brief.", List.of(new ChatMessage.User(userText)), List.of());
    }

    @Test
    void pacesFirstTokenAndRate() {
        var llm = FakeLlm.builder().timeToFirstToken(Duration.ofMillis(100)).tokensPerSecond(20)
                .replies("one two three four five").build();
        long t0 = System.nanoTime();
        try (var events = StreamRecorder.start(llm.stream(request("hi")))) {
            events.awaitItem(LlmEvent.TextDelta.class, WAIT);
            long first = System.nanoTime() - t0;
            var all = events.awaitEnd(WAIT);
            long total = System.nanoTime() - t0;
            assertThat(Duration.ofNanos(first)).isGreaterThanOrEqualTo(Duration.ofMillis(95));
            assertThat(Duration.ofNanos(total)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(all).containsExactly(new LlmEvent.TextDelta("one "), new LlmEvent.TextDelta("two "),
                    new LlmEvent.TextDelta("three "), new LlmEvent.TextDelta("four "), new LlmEvent.TextDelta("five"),
                    new LlmEvent.Usage(3, 5), new LlmEvent.Finished("stop"));
        }
    }

    @Test
    void recordsRequestsAndFallsBackToTheResponder() {
        var llm = FakeLlm.builder().replies("first").responder(r -> LlmStep.text("echo " + r.messages().size())).build();
        try (var a = StreamRecorder.start(llm.stream(request("a")));
                var b = StreamRecorder.start(llm.stream(request("b")))) {
            assertThat(a.awaitEnd(WAIT).getFirst()).isEqualTo(new LlmEvent.TextDelta("first"));
            assertThat(b.awaitEnd(WAIT)).startsWith(new LlmEvent.TextDelta("echo "), new LlmEvent.TextDelta("1"));
        }
        assertThat(llm.requests()).extracting(r -> ((ChatMessage.User) r.messages().getFirst()).text())
                .containsExactly("a", "b");
        assertThat(llm.lastRequest()).contains(llm.requests().get(1));
    }

    @Test
    void aRequestWithNothingScriptedFailsLoudly() {
        var llm = FakeLlm.replying("only one");
        llm.stream(request("a")).close();
        assertThatThrownBy(() -> llm.stream(request("b"))).isInstanceOf(ParleyException.class)
                .hasMessageContaining("no scripted step");
        assertThat(llm.unscriptedRequests()).isEqualTo(1);
    }

    @Test
    void toolCallStepsEndWithToolCallsReason() {
        var llm = FakeLlm.builder().reply(LlmStep.textAndTools("One moment. ",
                new dev.parley.spi.ToolCall("c1", "check_menu", "{\"item\":\"pizza\"}"))).build();
        try (var events = StreamRecorder.start(llm.stream(request("pizza?")))) {
            var all = events.awaitEnd(WAIT);
            assertThat(events.items(LlmEvent.ToolCallRequested.class)).singleElement()
                    .extracting(t -> t.call().name()).isEqualTo("check_menu");
            assertThat(all.getLast()).isEqualTo(new LlmEvent.Finished("tool_calls"));
            assertThat(all.getFirst()).isEqualTo(new LlmEvent.TextDelta("One "));
        }
    }

    @Test
    void failAfterDeliversTokensThenThrowsTheError() {
        var error = Fault.providerError("stream reset");
        var llm = FakeLlm.builder().replies("a b c d").faults(Fault.failAfter(2, error)).build();
        try (var events = StreamRecorder.start(llm.stream(request("x")))) {
            assertThat(events.awaitFailure(WAIT)).isSameAs(error);
            assertThat(events.items()).containsExactly(new LlmEvent.TextDelta("a "), new LlmEvent.TextDelta("b "));
        }
    }

    @Test
    void failOnOpenKeepsTheStepForTheRetry() {
        var error = Fault.providerError("429");
        var llm = FakeLlm.builder().replies("hello").faults(Fault.failOnOpen(error)).build();
        assertThatThrownBy(() -> llm.stream(request("x"))).isSameAs(error);
        try (var events = StreamRecorder.start(llm.stream(request("x")))) {
            assertThat(events.awaitEnd(WAIT).getFirst()).isEqualTo(new LlmEvent.TextDelta("hello"));
        }
        assertThat(llm.requests()).hasSize(2);
    }

    @Test
    void closeInterruptsPacingAndMarksTheStreamCancelled() {
        var llm = FakeLlm.builder().tokensPerSecond(5).replies("one two three four five six").build();
        var stream = llm.stream(request("x"));
        var events = StreamRecorder.start(stream);
        events.awaitItem(LlmEvent.TextDelta.class, WAIT);
        events.awaitReaderBlocked(WAIT);
        long t0 = System.nanoTime();
        stream.close();
        events.awaitDone(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(150));
        assertThat(stream.cancelled()).isTrue();
        assertThat(stream.delivered()).isEqualTo(1);
        assertThat(llm.streams()).containsExactly(stream);
    }

    @Test
    void stallAfterGoesSilentUntilClosed() {
        var llm = FakeLlm.builder().replies("a b c").faults(Fault.stallAfter(1)).build();
        var stream = llm.stream(request("x"));
        var events = StreamRecorder.start(stream);
        events.awaitItem(LlmEvent.TextDelta.class, WAIT);
        events.awaitReaderBlocked(WAIT);
        assertThat(events.items()).hasSize(1);
        stream.close();
        events.awaitEnd(Duration.ofSeconds(1));
    }

    @Test
    void awaitRequestsWaitsForAnotherThread() {
        var llm = FakeLlm.replying("a", "b");
        Thread.ofVirtual().start(() -> {
            llm.stream(request("1")).close();
            llm.stream(request("2")).close();
        });
        assertThat(llm.awaitRequests(2, WAIT)).hasSize(2);
        assertThatThrownBy(() -> llm.awaitRequests(3, Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void tokensConcatenateToTheText() {
        String text = "  Hello,  world!\nTwo lines ";
        String joined = LlmStep.tokens(text).stream().map(e -> ((LlmEvent.TextDelta) e).text())
                .reduce("", String::concat);
        assertThat(joined).isEqualTo(text);
        assertThat(LlmStep.text(text).text()).isEqualTo(text);
    }

    @Test
    void stepTimeToFirstTokenOverridesTheDefault() {
        var llm = FakeLlm.builder().timeToFirstToken(Duration.ofSeconds(30))
                .reply(LlmStep.text("quick").withTimeToFirstToken(Duration.ZERO)).build();
        try (var events = StreamRecorder.start(llm.stream(request("x")))) {
            assertThat(events.awaitEnd(WAIT)).hasSize(3);
        }
    }
}
