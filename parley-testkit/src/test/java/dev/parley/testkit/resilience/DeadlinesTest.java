package dev.parley.testkit.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.resilience.Deadlines;
import dev.parley.resilience.StalledException;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.testkit.FakeLlm;
import dev.parley.testkit.FakeTts;
import dev.parley.testkit.Fault;
import dev.parley.testkit.LlmStep;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private final Deadlines deadlines =
            Deadlines.builder().firstOutput(Duration.ofMillis(300)).maxGap(Duration.ofMillis(200)).build();

    @Test
    void aModelThatNeverAnswersFailsAtItsFirstOutputDeadline() throws Exception {
        var slow = FakeLlm.builder().name("slow").reply(LlmStep.text("late").withTimeToFirstToken(Duration.ofSeconds(30)))
                .build();
        try (var reports = new Reports()) {
            LlmStream s = deadlines.guardLlm(slow).stream(
                    new LlmRequest(reports.callId, "", List.of(new ChatMessage.User("hi")), List.of()));
            long t0 = System.nanoTime();
            assertThatThrownBy(s::next).isInstanceOfSatisfying(StalledException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.firstOutput()).isTrue();
                assertThat(e.getMessage()).isEqualTo("slow stalled: no first output within 300 ms");
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(290L, 1500L);
            assertThat(slow.streams().getFirst().closed()).isTrue();
            assertThat(reports.await("stall").provider()).isEqualTo("slow");
            assertThatThrownBy(s::next).as("the stall sticks").isInstanceOf(StalledException.class);
        }
    }

    @Test
    void aHealthyPacedModelIsNotTouched() throws Exception {
        var paced = FakeLlm.builder().name("paced").tokensPerSecond(10).timeToFirstToken(Duration.ofMillis(150))
                .replies("one two three four five").build();
        try (var reports = new Reports()) {
            LlmStream s = deadlines.guardLlm(paced).stream(
                    new LlmRequest(reports.callId, "", List.of(new ChatMessage.User("hi")), List.of()));
            int n = 0;
            for (Optional<LlmEvent> e = s.next(); e.isPresent(); e = s.next()) {
                n++;
            }
            assertThat(n).isEqualTo(7); // five words, usage, finished
            assertThat(reports.kinds()).isEmpty();
        }
    }

    @Test
    void anIdleSynthesiserIsNotAStallButSilenceAfterAFlushIs() throws Exception {
        var tts = FakeTts.builder().name("tts").faults(Fault.none(), Fault.stallAfter(0)).build();
        try (var reports = new Reports()) {
            var request = new TtsRequest(reports.callId, 8000, "en-US", "");
            // healthy stream: nothing is due while no text was flushed, however long the reader waits
            TtsStream idle = deadlines.guard(tts.open(request), "tts", reports.callId);
            var got = new LinkedBlockingQueue<Object>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    for (Optional<TtsEvent> e = idle.next(); e.isPresent(); e = idle.next()) {
                        got.add(e.get());
                    }
                    got.add("end");
                } catch (RuntimeException e) {
                    got.add(e);
                }
            });
            assertThat(got.poll(700, TimeUnit.MILLISECONDS)).as("700 ms idle, deadline 300 ms: no stall").isNull();
            idle.send("Hi.");
            idle.flush();
            idle.finish();
            assertThat(got.poll(5, TimeUnit.SECONDS)).isInstanceOf(TtsEvent.Audio.class);
            reader.join(Duration.ofSeconds(5));
            assertThat(got).last().isEqualTo("end");
            assertThat(got).noneMatch(o -> o instanceof RuntimeException);

            // stalled stream: a flush makes audio due
            TtsStream stalled = deadlines.guard(tts.open(request), "tts", reports.callId);
            stalled.send("Hi.");
            stalled.flush();
            long t0 = System.nanoTime();
            assertThatThrownBy(stalled::next).isInstanceOf(StalledException.class)
                    .hasMessage("tts stalled: no first output within 300 ms");
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(290L, 1500L);
        }
    }
}
