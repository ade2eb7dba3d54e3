package dev.parley.openai;

import static dev.parley.openai.TestSupport.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.LlmEvent;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import dev.parley.testkit.fakes.openai.FakeReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the client's share of latency: from the moment the fake starts writing a text frame to
 * the moment {@code next()} hands out its TextDelta, on a warm connection. The bound is generous
 * (a shared 2-core machine); the numbers are logged for the record.
 */
class OpenAiOverheadTest {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiOverheadTest.class);

    @Test
    void frameToTextDeltaOverheadIsSmall() {
        String text = "We are open until ten tonight.";
        try (var server = FakeOpenAiServer.builder().tokensPerSecond(100).responder(req -> FakeReply.text(text)).start();
                var chat = client(server).build()) {
            chat.warmUp();
            List<Long> first = new ArrayList<>();
            List<Long> all = new ArrayList<>();
            for (int run = 0; run < 30; run++) {
                List<Long> seen = new ArrayList<>();
                try (var stream = chat.stream(TestSupport.ask("When do you close?"))) {
                    for (Optional<LlmEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                        if (e.get() instanceof LlmEvent.TextDelta) {
                            seen.add(System.nanoTime());
                        }
                    }
                }
                if (run < 10) {
                    continue; // warm-up: JIT, pooled connection
                }
                List<Long> written = server.chatRequests().getLast().textFrameNanos();
                assertThat(seen).hasSameSizeAs(written);
                for (int i = 0; i < seen.size(); i++) {
                    all.add(seen.get(i) - written.get(i));
                }
                first.add(seen.getFirst() - written.getFirst());
            }
            Collections.sort(first);
            Collections.sort(all);
            LOG.info("frame written -> TextDelta: first delta p50 {} us, p95 {} us; all deltas p50 {} us, p95 {} us, "
                    + "p99 {} us (n={})", micros(first, 50), micros(first, 95), micros(all, 50), micros(all, 95),
                    micros(all, 99), all.size());
            assertThat(Duration.ofNanos(all.get(all.size() / 2))).as("p50").isLessThan(Duration.ofMillis(50));
        }
    }

    private static long micros(List<Long> sorted, int percentile) {
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1000;
    }
}
