package dev.parley.testkit.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.resilience.Deadlines;
import dev.parley.resilience.FallbackTextToSpeech;
import dev.parley.resilience.RetryPolicy;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import dev.parley.testkit.FakeTts;
import dev.parley.testkit.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FallbackTextToSpeechTest {
    private static final int RATE = 8000;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final RetryPolicy fastRetry = RetryPolicy.builder().maxAttempts(3).sleeper(waits::add).build();

    record Timed(long nanos, TtsEvent event) {}

    static List<Timed> speak(TtsStream stream, String... pieces) {
        for (String p : pieces) {
            stream.send(p);
            stream.flush();
        }
        stream.finish();
        var out = new ArrayList<Timed>();
        try (stream) {
            for (Optional<TtsEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                out.add(new Timed(System.nanoTime(), e.get()));
            }
        }
        return out;
    }

    static List<AudioFrame> audio(List<Timed> events) {
        return events.stream().map(Timed::event).filter(e -> e instanceof TtsEvent.Audio)
                .map(e -> ((TtsEvent.Audio) e).frame()).toList();
    }

    static long flushes(List<Timed> events) {
        return events.stream().filter(e -> e.event() instanceof TtsEvent.Flushed).count();
    }

    static List<WordTiming> words(List<Timed> events) {
        return events.stream().map(Timed::event).filter(e -> e instanceof TtsEvent.Words)
                .flatMap(e -> ((TtsEvent.Words) e).words().stream()).toList();
    }

    @Test
    void midUtteranceFailoverSpeaksTheRestInTheFallbackVoice() throws Exception {
        // a delivers the word timings and 20 of the 39 frames of "Hello there. ", then its socket dies
        var a = FakeTts.builder().name("a").wordTimings(true)
                .faults(Fault.failAfter(21, Fault.providerError("socket closed"))).build();
        var b = FakeTts.builder().name("b").wordTimings(true).build();
        var tts = FallbackTextToSpeech.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = speak(tts.open(new TtsRequest(reports.callId, RATE, "en-US", "")),
                    "Hello there. ", "How are you today? ");

            var frames = audio(events);
            int fromA = a.streams().getFirst().framesDelivered();
            assertThat(fromA).isEqualTo(20);
            assertThat(FakeTts.textFor(frames.subList(0, fromA))).startsWith("Hello ");
            assertThat(b.textsReceived()).as("heard words are not sent again; the unflushed rest is")
                    .containsExactly("there. ", "How are you today? ");
            assertThat(FakeTts.textFor(frames.subList(fromA, frames.size())).strip())
                    .isEqualTo("there. How are you today?");
            assertThat(flushes(events)).as("one Flushed per flush, across the failover").isEqualTo(2);
            assertThat(frames).hasSize(20 + 21 + 57);

            var there = words(events).stream().filter(w -> w.word().equals("there.")).toList();
            assertThat(there.getLast().start()).as("b's timings continue after the 400 ms a delivered")
                    .isEqualTo(Duration.ofMillis(400));
            assertThat(words(events).getLast().end()).as("\"today?\" ends before the final space")
                    .isEqualTo(Duration.ofMillis(20L * frames.size() - 60));
            assertThat(reports.kinds()).containsExactly("error", "failover");
            assertThat(waits).as("no retry of a once its audio was heard").isEmpty();
        }
    }

    @Test
    void aWriterThatKeepsSendingDuringTheFailoverLosesNothing() throws Exception {
        var a = FakeTts.builder().name("a").wordTimings(true).realTimeFactor(4)
                .faults(Fault.failAfter(40, Fault.providerError("reset"))).build();
        var b = FakeTts.builder().name("b").wordTimings(true).realTimeFactor(4).build();
        var tts = FallbackTextToSpeech.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            TtsStream stream = tts.open(new TtsRequest(reports.callId, RATE, "en-US", ""));
            var flushed = new java.util.concurrent.Semaphore(0);
            Thread writer = Thread.ofVirtual().start(() -> {
                for (String piece : List.of("One two. ", "Three four. ", "Five six. ", "Seven eight. ")) {
                    stream.send(piece);
                    stream.flush();
                    flushed.acquireUninterruptibly(); // the next sentence comes when this one is synthesised
                }
                stream.finish();
            });
            var events = new ArrayList<Timed>();
            try (stream) {
                for (Optional<TtsEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                    events.add(new Timed(System.nanoTime(), e.get()));
                    if (e.get() instanceof TtsEvent.Flushed) {
                        flushed.release();
                    }
                }
            }
            writer.join(Duration.ofSeconds(5));

            var frames = audio(events);
            int fromA = a.streams().getFirst().framesDelivered();
            assertThat(fromA).as("piece one and 10 frames of piece two").isEqualTo(27 + 10);
            assertThat(FakeTts.textFor(frames.subList(0, 27))).isEqualTo("One two. ");
            assertThat(FakeTts.textFor(frames.subList(fromA, frames.size())))
                    .isEqualTo("Three four. Five six. Seven eight. ");
            assertThat(b.textsReceived()).containsExactly("Three four. ", "Five six. ", "Seven eight. ");
            assertThat(flushes(events)).isEqualTo(4);
            assertThat(reports.kinds()).containsExactly("error", "failover");
        }
    }

    @Test
    void withoutWordTimingsTheUnfinishedPieceIsRepeatedWhole() throws Exception {
        var a = FakeTts.builder().name("a").faults(Fault.failAfter(45, Fault.providerError("reset"))).build();
        var b = FakeTts.builder().name("b").build();
        var tts = FallbackTextToSpeech.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = speak(tts.open(new TtsRequest(reports.callId, RATE, "en-US", "")),
                    "Hello there. ", "How are you today? ");

            // a finished piece one (39 frames + Flushed) and 5 frames of piece two
            assertThat(b.textsReceived()).as("the flushed piece is not repeated").containsExactly("How are you today? ");
            assertThat(flushes(events)).isEqualTo(2);
            assertThat(audio(events)).hasSize(39 + 5 + 57);
        }
    }

    @Test
    void aRetryableErrorBeforeAnyAudioKeepsTheSameVoice() throws Exception {
        var a = FakeTts.builder().name("a").faults(Fault.failOnOpen(Fault.providerError("429"))).build();
        var b = FakeTts.builder().name("b").build();
        var tts = FallbackTextToSpeech.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            var events = speak(tts.open(new TtsRequest(reports.callId, RATE, "en-US", "")), "Hi. ");

            assertThat(FakeTts.textFor(audio(events))).isEqualTo("Hi. ");
            assertThat(a.requests()).hasSize(2);
            assertThat(b.requests()).isEmpty();
            assertThat(reports.kinds()).containsExactly("error", "retry");
        }
    }

    @Test
    void aStallFailsOverWithinTheDeadlineAndTheAudioContinues() throws Exception {
        // a produces 4x real time and goes silent after 30 events (words + 29 frames)
        var a = FakeTts.builder().name("a").wordTimings(true).realTimeFactor(4).faults(Fault.stallAfter(30)).build();
        var b = FakeTts.builder().name("b").wordTimings(true).realTimeFactor(4)
                .timeToFirstByte(Duration.ofMillis(50)).build();
        var deadlines = Deadlines.builder().firstOutput(Duration.ofMillis(300)).maxGap(Duration.ofMillis(300)).build();
        var tts = FallbackTextToSpeech.builder().add(a).add(b).retry(fastRetry).deadlines(deadlines).build();
        try (var reports = new Reports()) {
            var events = speak(tts.open(new TtsRequest(reports.callId, RATE, "en-US", "")),
                    "Your order is ready. ", "Anything else? ");

            long longestGap = 0;
            int at = 0;
            for (int i = 1; i < events.size(); i++) {
                long gap = events.get(i).nanos() - events.get(i - 1).nanos();
                if (gap > longestGap) {
                    longestGap = gap;
                    at = i;
                }
            }
            int fromA = a.streams().getFirst().framesDelivered();
            long lastFromA = events.get(fromA).nanos(); // events: Words, then a's frames
            long detectionMs = (reports.firstNanos("failover") - lastFromA) / 1_000_000;
            System.out.printf("TTS stall: deadline 300 ms, b TTFB 50 ms: stall -> failover %d ms, "
                    + "longest gap in delivered events %d ms (before event %d of %d)%n",
                    detectionMs, longestGap / 1_000_000, at, events.size());
            assertThat(fromA).isEqualTo(29);
            assertThat(longestGap / 1_000_000).isBetween(300L, 1500L);
            assertThat(flushes(events)).isEqualTo(2);
            var frames = audio(events);
            assertThat(FakeTts.textFor(frames.subList(fromA, frames.size())).strip())
                    .as("b speaks from the first word not fully heard").isEqualTo("order is ready. Anything else?");
            reports.await("stall");
            assertThat(reports.of("stall").getFirst().detail()).isEqualTo("a stalled: no output for 300 ms");
        }
    }

    @Test
    void whenEveryVoiceFailsTheStreamSaysSoAndReportsAllFailed() throws Exception {
        var fatal = Fault.failOnOpen(new ParleyException("401", false, null));
        var a = FakeTts.builder().name("a").faults(fatal).build();
        var b = FakeTts.builder().name("b").faults(fatal).build();
        var tts = FallbackTextToSpeech.builder().add(a).add(b).retry(fastRetry).build();
        try (var reports = new Reports()) {
            TtsStream stream = tts.open(new TtsRequest(reports.callId, RATE, "en-US", ""));
            stream.send("Hello. ");
            stream.flush();
            assertThatThrownBy(stream::next).isInstanceOf(ParleyException.class)
                    .matches(e -> !((ParleyException) e).retryable());
            assertThat(stream.next()).isEmpty();
            assertThat(reports.kinds()).containsExactly("error", "failover", "error", "all-failed");
        }
    }
}
