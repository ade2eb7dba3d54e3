package dev.parley.openai;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.ToolDefinition;
import dev.parley.spi.ToolPolicy;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Shared set-up of the tests against {@link FakeOpenAiServer}. */
final class TestSupport {
    static final String KEY = "sk-test-123";
    static final ToolDefinition ADD_ITEM = new ToolDefinition("add_item", "Adds an item to the cart",
            "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"},\"qty\":{\"type\":\"integer\"}},"
                    + "\"required\":[\"item\"]}", ToolPolicy.RUN_TO_COMPLETION, Duration.ofSeconds(5));
    static final ToolDefinition SET_TIME = new ToolDefinition("set_time", "Sets the pickup time",
            "{\"type\":\"object\",\"properties\":{\"at\":{\"type\":\"string\"}}}", ToolPolicy.RUN_TO_COMPLETION,
            Duration.ofSeconds(5));
    /** Fast retries so that failure tests stay quick. */
    static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(80),
            Duration.ofSeconds(5));

    private TestSupport() {}

    /** A client for {@code server} with short deadlines (2 s first byte, 500 ms gap) and fast retries. */
    static OpenAiChat.Builder client(FakeOpenAiServer server) {
        return OpenAiChat.builder().baseUrl(server.baseUrl()).apiKey(KEY).model("gpt-test").providerName("OpenAI")
                .firstByteTimeout(Duration.ofSeconds(2)).chunkGapTimeout(Duration.ofMillis(500))
                .retryPolicy(FAST_RETRIES);
    }

    static LlmRequest ask(String text, ToolDefinition... tools) {
        return new LlmRequest("call-1", "You take orders. Be brief.", List.of(new ChatMessage.User(text)),
                List.of(tools));
    }

    static String text(List<LlmEvent> events) {
        return events.stream().filter(LlmEvent.TextDelta.class::isInstance).map(e -> ((LlmEvent.TextDelta) e).text())
                .reduce("", String::concat);
    }

    /** Waits (polling, bounded) for a condition another thread makes true. */
    static void eventually(Duration timeout, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
