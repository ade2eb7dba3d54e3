package dev.parley.openai;

import static dev.parley.openai.TestSupport.KEY;
import static dev.parley.openai.TestSupport.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.LlmEvent;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import dev.parley.testkit.fakes.openai.FakeReply;
import dev.parley.testkit.fakes.openai.FakeReply.StreamFault;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Errors, retries, deadlines and cancellation against the fake. */
class OpenAiFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SENTENCE = "Hello there, we are open until ten tonight and tomorrow too.";

    private static OpenAiException failure(StreamRecorder<LlmEvent> events) {
        Throwable t = events.awaitFailure(WAIT);
        assertThat(t).isInstanceOf(OpenAiException.class);
        return (OpenAiException) t;
    }

    @Test
    void wrongKeyFailsAtOnceNamingTheVariable() {
        try (var server = FakeOpenAiServer.builder().apiKey(KEY).start();
                var chat = client(server).apiKey("sk-wrong").build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            OpenAiException e = failure(events);
            assertThat(e).hasMessageStartingWith("OpenAI rejected the API key (401): set OPENAI_API_KEY")
                    .hasMessageContaining("Incorrect API key provided");
            assertThat(e.retryable()).isFalse();
            assertThat(e.status()).isEqualTo(OptionalInt.of(401));
            assertThat(server.chatRequests()).as("not retried").hasSize(1);
        }
    }

    @Test
    void rateLimitIsRetriedAfterTheServerDelayThenSucceeds() {
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.rateLimited(Duration.ofMillis(300)),
                FakeReply.text(SENTENCE)).start(); var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            assertThat(TestSupport.text(events.awaitEnd(WAIT))).isEqualTo(SENTENCE);
            var requests = server.chatRequests();
            assertThat(requests).hasSize(2);
            assertThat(Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                    .as("retry-after-ms: 300 honoured, not the 20 ms backoff").isGreaterThanOrEqualTo(Duration.ofMillis(280));
        }
    }

    @Test
    void retryAfterInSecondsIsHonouredAndTooLongIsNotWaitedFor() {
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.rateLimited(Duration.ofSeconds(1)),
                FakeReply.text("ok"), FakeReply.rateLimited(Duration.ofSeconds(60))).start();
                var chat = client(server).build()) {
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                assertThat(TestSupport.text(events.awaitEnd(WAIT))).isEqualTo("ok");
                var r = server.chatRequests();
                assertThat(Duration.ofNanos(r.get(1).receivedAtNanos() - r.get(0).receivedAtNanos()))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
            }
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                OpenAiException e = failure(events);
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
                assertThat(e).hasMessageContaining("OpenAI rate limit (429 rate_limit_exceeded)");
                assertThat(server.chatRequests()).as("60 s is beyond maxRetryAfter: no retry").hasSize(3);
            }
        }
    }

    @Test
    void serverErrorsAreRetriedUpToTheLimitAndBadRequestsNever() {
        var badRequest = new FakeReply.HttpError(400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 128000 tokens.", Map.of());
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.serverError(), FakeReply.serverError(),
                FakeReply.text("ok"), FakeReply.serverError(), FakeReply.serverError(), FakeReply.serverError(),
                badRequest).start(); var chat = client(server).build()) {
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                assertThat(TestSupport.text(events.awaitEnd(WAIT))).isEqualTo("ok");
            }
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                OpenAiException e = failure(events);
                assertThat(e.retryable()).isTrue();
                assertThat(e).hasMessageContaining("OpenAI error 500");
            }
            assertThat(server.chatRequests()).as("3 + 3 attempts").hasSize(6);
            try (var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
                OpenAiException e = failure(events);
                assertThat(e.retryable()).isFalse();
                assertThat(e).hasMessageContaining("400 context_length_exceeded").hasMessageContaining("maximum context");
            }
            assertThat(server.chatRequests()).hasSize(7);
        }
    }

    @Test
    void connectionDropAfterTextIsAClearErrorAndNotRetried() {
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.text(SENTENCE).with(new StreamFault.Drop(4)))
                .start(); var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            OpenAiException e = failure(events);
            assertThat(events.items(LlmEvent.TextDelta.class)).as("text reached the caller").isNotEmpty();
            assertThat(e).hasMessageMatching("OpenAI: lost the connection to http://127\\.0\\.0\\.1:\\d+/v1 mid-stream .*");
            assertThat(e.retryable()).isTrue();
            assertThat(server.chatRequests()).as("never retried once output was delivered").hasSize(1);
        }
    }

    @Test
    void failureBeforeAnyEventIsRetriedTransparently() {
        try (var server = FakeOpenAiServer.builder()
                .reply(FakeReply.text(SENTENCE).with(new StreamFault.ErrorEvent(1)),
                        FakeReply.text(SENTENCE).with(new StreamFault.Drop(1)), FakeReply.text(SENTENCE))
                .start(); var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            assertThat(TestSupport.text(events.awaitEnd(WAIT))).isEqualTo(SENTENCE);
            assertThat(server.chatRequests()).hasSize(3);
        }
    }

    @Test
    void errorEventAfterTextIsReported() {
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.text(SENTENCE).with(new StreamFault.ErrorEvent(3)))
                .start(); var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            OpenAiException e = failure(events);
            assertThat(e).hasMessageContaining("OpenAI failed mid-stream (server_error)");
            assertThat(events.items(LlmEvent.TextDelta.class)).hasSize(2);
            assertThat(server.chatRequests()).hasSize(1);
        }
    }

    @Test
    void malformedFrameIsAClearNonRetryableError() {
        try (var server = FakeOpenAiServer.builder().reply(FakeReply.text(SENTENCE).with(new StreamFault.Malformed(3)))
                .start(); var chat = client(server).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            OpenAiException e = failure(events);
            assertThat(e).hasMessageStartingWith("OpenAI sent a chunk that is not valid JSON");
            assertThat(e.retryable()).isFalse();
            assertThat(events.items(LlmEvent.TextDelta.class)).as("the good chunks before it").hasSize(2);
        }
    }

    @Test
    void fiveSecondStallIsDetectedByTheOneSecondGapDeadline() {
        var reply = FakeReply.text(SENTENCE).with(new StreamFault.Stall(3, Duration.ofSeconds(5), false));
        try (var server = FakeOpenAiServer.builder().reply(reply).start();
                var chat = client(server).chunkGapTimeout(Duration.ofSeconds(1)).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            events.awaitItems(LlmEvent.TextDelta.class, 2, WAIT);
            long t0 = System.nanoTime();
            OpenAiException e = failure(events);
            Duration detectedAfter = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(e).hasMessage("OpenAI stream stalled: no data for 1000 ms");
            assertThat(e.retryable()).isTrue();
            assertThat(detectedAfter).as("by the deadline, not the 5 s stall").isBetween(Duration.ofMillis(700),
                    Duration.ofMillis(3500));
            assertThat(server.chatRequests()).as("not retried after text (decided before the throw)").hasSize(1);
        }
    }

    @Test
    void stallBeforeTheFirstByteIsRetried() {
        var stuck = FakeReply.text(SENTENCE).with(new StreamFault.Stall(0, Duration.ofSeconds(5), false));
        try (var server = FakeOpenAiServer.builder().reply(stuck, FakeReply.text(SENTENCE)).start();
                var chat = client(server).firstByteTimeout(Duration.ofMillis(300)).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            assertThat(TestSupport.text(events.awaitEnd(WAIT))).isEqualTo(SENTENCE);
            assertThat(server.chatRequests()).hasSize(2);
        }
    }

    @Test
    void closeWhileChunksArriveAbortsTheRequest() {
        try (var server = FakeOpenAiServer.builder().tokensPerSecond(50).reply(FakeReply.text("Sure. ".repeat(100)))
                .start(); var chat = client(server).build()) {
            var stream = chat.stream(TestSupport.ask("Hi"));
            var events = StreamRecorder.start(stream);
            events.awaitItems(LlmEvent.TextDelta.class, 3, WAIT);
            events.awaitReaderBlocked(WAIT);
            long t0 = System.nanoTime();
            stream.close();
            events.awaitDone(Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
            assertThat(events.failure()).isEmpty();
            assertThat(stream.next()).isEmpty();
            var rec = server.chatRequests().getFirst();
            TestSupport.eventually(WAIT, () -> rec.disconnectedAfterFrames().isPresent(), "the server to see the abort");
            assertThat(rec.disconnectedAfterFrames().getAsInt()).as("stopped well before the 200 tokens").isLessThan(60);
            assertThat(rec.completed()).isFalse();
        }
    }

    @Test
    void unreachableServerIsARetryableConnectFailure() {
        String url;
        try (var gone = FakeOpenAiServer.builder().start()) {
            url = gone.baseUrl();
        }
        try (var chat = OpenAiChat.builder().baseUrl(url).model("m").retryPolicy(TestSupport.FAST_RETRIES).build();
                var events = StreamRecorder.start(chat.stream(TestSupport.ask("Hi")))) {
            OpenAiException e = failure(events);
            assertThat(e.retryable()).isTrue();
            assertThat(e).hasMessageContaining("could not reach " + url);
        }
    }
}
