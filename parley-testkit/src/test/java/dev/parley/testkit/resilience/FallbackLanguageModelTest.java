package dev.parley.testkit.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ParleyException;
import dev.parley.resilience.CircuitBreaker;
import dev.parley.resilience.Deadlines;
import dev.parley.resilience.FallbackLanguageModel;
import dev.parley.resilience.RetryPolicy;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.ToolCall;
import dev.parley.testkit.FakeLlm;
import dev.parley.testkit.Fault;
import dev.parley.testkit.LlmStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FallbackLanguageModelTest {
    private static final String FILLER = FallbackLanguageModel.DEFAULT_FILLER;
    private static final String APOLOGY = FallbackLanguageModel.DEFAULT_APOLOGY;

    /** Records the waits instead of sleeping. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final RetryPolicy fastRetry = RetryPolicy.builder().maxAttempts(3).sleeper(waits::add).build();

    record Timed(long nanos, LlmEvent event) {}

    static LlmRequest request(String callId, String userText) {
        return new LlmRequest(callId, "Be brief.", List.of(new ChatMessage.User(userText)), List.of());
    }

    static List<Timed> drain(LlmStream stream) {
        var out = new ArrayList<Timed>();
        try (stream) {
            for (Optional<LlmEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                out.add(new Timed(System.nanoTime(), e.get()));
            }
        }
        return out;
    }

    static String text(List<Timed> events) {
        var sb = new StringBuilder();
        for (Timed t : events) {
            if (t.event() instanceof LlmEvent.TextDelta(String s)) {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    static Optional<String> finish(List<Timed> events) {
        return events.stream().map(Timed::event).filter(e -> e instanceof LlmEvent.Finished)
                .map(e -> ((LlmEvent.Finished) e).reason()).findFirst();
    }

    @Test
    void retriesARetryableErrorOnTheSameModelThenSucceeds() throws Exception {
        var a = FakeLlm.builder().name("a").replies("lost with the failed stream", "Hello from a.")
                .faults(Fault.failOnOpen(Fault.providerError("503 on connect")), Fault.failAfter(0, Fault.providerError("502")))
                .build();
        var b = FakeLlm.builder().name("b").replies("Hello from b.").build();
        var llm = FallbackLanguageModel.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = drain(llm.stream(request(reports.callId, "hi")));

            assertThat(text(events)).isEqualTo("Hello from a.");
            assertThat(a.requests()).hasSize(3);
            assertThat(b.requests()).isEmpty();
            assertThat(waits).hasSize(2).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofMillis(200)));
            assertThat(reports.kinds()).containsExactly("error", "retry", "error", "retry");
            assertThat(reports.of("retry").getFirst().provider()).isEqualTo("a");
        }
    }

    @Test
    void failsOverBeforeOutputWhenRetriesAreExhaustedOrTheErrorIsFatal() throws Exception {
        var a = FakeLlm.builder().name("a").replies("never")
                .faults(Fault.failOnOpen(new ParleyException("401 bad key", false, null))).build();
        var b = FakeLlm.builder().name("b").replies("Hello from b.").build();
        var llm = FallbackLanguageModel.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = drain(llm.stream(request(reports.callId, "hi")));

            assertThat(text(events)).as("no filler: nothing was said yet").isEqualTo("Hello from b.");
            assertThat(a.requests()).as("a fatal error is not retried").hasSize(1);
            assertThat(waits).isEmpty();
            assertThat(reports.kinds()).containsExactly("error", "failover");
            assertThat(reports.of("failover").getFirst().detail()).startsWith("to b:").contains("401");
        }
    }

    @Test
    void midTurnFailureNeverRetriesTheModelAndContinuesAfterAFiller() throws Exception {
        var a = FakeLlm.builder().name("a").replies("Hello there, how can I help?", "spare answer")
                .faults(Fault.failAfter(2, Fault.providerError("connection reset"))).build();
        var b = FakeLlm.builder().name("b").replies("Hi, what can I get you?").build();
        var llm = FallbackLanguageModel.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = drain(llm.stream(request(reports.callId, "hi")));

            assertThat(text(events)).isEqualTo("Hello there, " + FILLER + "Hi, what can I get you?");
            assertThat(a.requests()).as("no retry after output was delivered").hasSize(1);
            assertThat(b.requests()).hasSize(1);
            assertThat(b.lastRequest().orElseThrow().messages()).as("the same request is re-asked")
                    .isEqualTo(a.lastRequest().orElseThrow().messages());
            assertThat(finish(events)).contains("stop");
            assertThat(reports.kinds()).containsExactly("error", "failover");
        }
    }

    @Test
    void everyModelFailingEndsWithTheApologyAndAnAllFailedEvent() throws Exception {
        var a = FakeLlm.builder().name("a").replies("Let me check that for you and")
                .faults(Fault.failAfter(3, Fault.providerError("reset"))).build();
        var b = FakeLlm.builder().name("b").faults(Fault.failOnOpen(new ParleyException("500", false, null))).build();
        var llm = FallbackLanguageModel.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = drain(llm.stream(request(reports.callId, "hi")));

            assertThat(text(events)).as("the filler covers the failover at once; the apology follows when b fails too")
                    .isEqualTo("Let me check " + FILLER + APOLOGY);
            assertThat(finish(events)).contains("error");
            assertThat(reports.kinds()).containsExactly("error", "failover", "error", "all-failed");
            assertThat(reports.of("all-failed").getFirst().provider()).isEqualTo(llm.name());
        }
    }

    @Test
    void aFailureAfterAToolCallEndsTheStepInsteadOfReAsking() throws Exception {
        var call = new ToolCall("c1", "add_item", "{\"item\":\"pizza\"}");
        var a = FakeLlm.builder().name("a")
                .reply(LlmStep.events(new LlmEvent.ToolCallRequested(call), new LlmEvent.Finished("tool_calls")))
                .faults(Fault.failAfter(1, Fault.providerError("reset"))).build();
        var b = FakeLlm.builder().name("b").replies("unused").build();
        var llm = FallbackLanguageModel.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = drain(llm.stream(request(reports.callId, "a pizza please")));

            assertThat(events).extracting(Timed::event)
                    .containsExactly(new LlmEvent.ToolCallRequested(call), new LlmEvent.Finished("tool_calls"));
            assertThat(b.requests()).as("re-asking could order the pizza twice").isEmpty();
            assertThat(reports.kinds()).containsExactly("error");
        }
    }

    @Test
    void anOpenBreakerSkipsTheDeadModelAndAHalfOpenTrialBringsItBack() throws Exception {
        var now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
        var breaker = CircuitBreaker.builder("a").consecutiveFailures(2).cooldown(Duration.ofSeconds(30))
                .clock(now::get).build();
        var down = Fault.failOnOpen(Fault.providerError("connect refused"));
        var a = FakeLlm.builder().name("a").replies("a is back.").faults(down, down).build();
        var b = FakeLlm.builder().name("b").replies("b1.", "b2.", "b3.").build();
        LanguageModel llm = FallbackLanguageModel.builder().add(a, breaker).add(b).retry(RetryPolicy.none()).build();
        try (var reports = new Reports()) {
            assertThat(text(drain(llm.stream(request(reports.callId, "one"))))).isEqualTo("b1.");
            assertThat(text(drain(llm.stream(request(reports.callId, "two"))))).isEqualTo("b2.");
            assertThat(reports.kinds()).containsExactly("error", "failover", "error", "circuit-open", "failover");
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

            assertThat(text(drain(llm.stream(request(reports.callId, "three"))))).isEqualTo("b3.");
            assertThat(a.requests()).as("the open breaker kept the dead model out").hasSize(2);
            assertThat(reports.of("failover").getLast().detail()).isEqualTo("to b: circuit open");

            now.set(now.get().plusSeconds(30));
            assertThat(text(drain(llm.stream(request(reports.callId, "four"))))).isEqualTo("a is back.");
            assertThat(a.requests()).hasSize(3);
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void aStalledModelIsDetectedByItsDeadlineAndTheCallerHearsAFiller() throws Exception {
        var a = FakeLlm.builder().name("a").tokensPerSecond(50).replies("Your total is twelve dollars and fifty cents.")
                .faults(Fault.stallAfter(3)).build();
        var b = FakeLlm.builder().name("b").replies("Your total is twelve fifty.").build();
        var deadlines = Deadlines.builder().firstOutput(Duration.ofMillis(300)).maxGap(Duration.ofMillis(300)).build();
        var llm = FallbackLanguageModel.builder().add(a).add(b).retry(fastRetry).deadlines(deadlines).build();
        try (var reports = new Reports()) {
            var events = drain(llm.stream(request(reports.callId, "how much")));

            assertThat(text(events)).isEqualTo("Your total is " + FILLER + "Your total is twelve fifty.");
            long lastFromA = events.get(2).nanos();
            long filler = events.get(3).nanos();
            long detectionMs = (reports.firstNanos("failover") - lastFromA) / 1_000_000;
            long silenceMs = (filler - lastFromA) / 1_000_000;
            System.out.printf("LLM stall: deadline 300 ms, stall -> failover %d ms, silence before filler %d ms%n",
                    detectionMs, silenceMs);
            assertThat(silenceMs).as("detected by the deadline, not a socket timeout").isBetween(250L, 1500L);
            assertThat(a.streams().getFirst().closed()).as("the stalled stream is closed").isTrue();
            reports.await("stall");
            assertThat(reports.of("stall").getFirst().detail()).isEqualTo("a stalled: no output for 300 ms");
            assertThat(reports.kinds()).doesNotContain("error").contains("failover");
        }
    }

    @Test
    void closingDuringABackoffReturnsPromptly() throws Exception {
        var a = FakeLlm.builder().name("a").replies("late")
                .faults(Fault.failOnOpen(Fault.providerError("503"))).build();
        var slow = RetryPolicy.builder().sleeper(d -> Thread.sleep(Duration.ofSeconds(20))).build();
        var llm = FallbackLanguageModel.builder().add(a).retry(slow).build();
        try (var reports = new Reports()) {
            LlmStream stream = llm.stream(request(reports.callId, "hi"));
            var result = new AtomicReference<Optional<LlmEvent>>();
            Thread reader = Thread.ofVirtual().start(() -> result.set(stream.next()));
            reports.await("retry");
            long t0 = System.nanoTime();
            stream.close();
            reader.join(Duration.ofSeconds(5));
            assertThat(reader.isAlive()).isFalse();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
            assertThat(result.get()).isEmpty();
            assertThat(a.requests()).hasSize(1);
        }
    }
}
