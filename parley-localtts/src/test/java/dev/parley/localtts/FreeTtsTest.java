package dev.parley.localtts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FreeTtsTest {
    private static final String ORDER = "I would like two large pepperoni pizzas and a diet coke.";
    private static final int ORDER_WORDS = 11;

    private static TtsStream open(int rate) {
        return LocalTts.english().open(new TtsRequest("call-1", rate, "en-US", ""));
    }

    private static Recorded speak(int rate, String text) {
        TtsStream stream = open(rate);
        stream.send(text);
        stream.finish();
        return Recorded.readToEnd(stream);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 24000, 48000})
    void speaksAtTheRequestedRateWithPlausibleDuration(int rate) {
        Recorded r = speak(rate, ORDER);

        r.assertFramesAt(rate);
        assertThat(r.levelDbfs()).isGreaterThan(-35);
        double perWord = r.audioDuration().toMillis() / 1000.0 / ORDER_WORDS;
        assertThat(perWord).isBetween(0.2, 0.6);
        assertThat(r.flushedCount()).isZero();
    }

    @Test
    void resampledAudioHasTheSameDurationAtEveryRate() {
        Duration at16 = speak(16000, ORDER).audioDuration();
        Duration at8 = speak(8000, ORDER).audioDuration();
        Duration at24 = speak(24000, ORDER).audioDuration();

        // equal up to the resampling filter's delay (a few ms, added once per piece)
        assertThat(Math.abs(at8.toMillis() - at16.toMillis())).isLessThanOrEqualTo(10);
        assertThat(Math.abs(at24.toMillis() - at16.toMillis())).isLessThanOrEqualTo(10);
    }

    @Test
    void flushDeliversEachPieceThenFlushedInOrder() {
        TtsStream stream = open(8000);
        stream.send("Your total is $12.50.");
        stream.flush();
        stream.send("Anything ");
        stream.send("else?");
        stream.flush();
        stream.finish();
        List<TtsEvent> events = Recorded.readToEnd(stream).events();

        List<String> shape = new ArrayList<>();
        for (TtsEvent e : events) {
            String kind = switch (e) {
                case TtsEvent.Audio a -> "audio";
                case TtsEvent.Words w -> "words";
                case TtsEvent.Flushed f -> "flushed";
            };
            if (shape.isEmpty() || !shape.getLast().equals(kind)) {
                shape.add(kind);
            }
        }
        assertThat(shape).containsExactly("words", "audio", "flushed", "words", "audio", "flushed");
    }

    @Test
    void wordTimingsFollowTheAudioAndKeepSourceTokens() {
        TtsStream stream = open(16000);
        stream.send("Your total is $12.50.");
        stream.flush();
        stream.send("Anything else?");
        stream.finish();
        Recorded r = Recorded.readToEnd(stream);

        List<WordTiming> words = r.words();
        assertThat(words).extracting(WordTiming::word)
                .containsExactly("Your", "total", "is", "$12.50", "Anything", "else");
        for (int i = 1; i < words.size(); i++) {
            assertThat(words.get(i).start()).isGreaterThanOrEqualTo(words.get(i - 1).end());
        }
        assertThat(words.getLast().end()).isLessThanOrEqualTo(r.audioDuration());
        // "$12.50" is read as "twelve dollars fifty cents": the longest token by far
        WordTiming price = words.get(3);
        assertThat(price.end().minus(price.start())).isGreaterThan(Duration.ofMillis(800));
        // the second piece's words are placed after the first piece's audio
        Duration firstPiece = audioUntilFirstFlushed(r.events());
        assertThat(words.get(4).start()).isGreaterThanOrEqualTo(firstPiece);
        // the audio inside a word is loud, the gap before the first word is the leading pause
        assertThat(words.getFirst().start()).isBetween(Duration.ofMillis(150), Duration.ofMillis(250));
    }

    private static Duration audioUntilFirstFlushed(List<TtsEvent> events) {
        Duration d = Duration.ZERO;
        for (TtsEvent e : events) {
            if (e instanceof TtsEvent.Flushed) {
                return d;
            }
            if (e instanceof TtsEvent.Audio a) {
                d = d.plus(a.frame().duration());
            }
        }
        throw new AssertionError("no Flushed");
    }

    @Test
    void flushWithNothingSentStillAnswersFlushed() {
        TtsStream stream = open(16000);
        stream.flush();
        stream.finish();
        assertThat(Recorded.readToEnd(stream).events()).containsExactly(new TtsEvent.Flushed());
    }

    @Test
    void closeUnblocksAWaitingReader() throws Exception {
        TtsStream stream = open(16000);
        CompletableFuture<Optional<TtsEvent>> next = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> next.complete(stream.next()));
        while (reader.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until the reader is parked inside next()
        }
        stream.close();

        assertThat(next.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(stream.next()).isEmpty();
    }

    @Test
    void closeMidSynthesisStopsTheStreamAndLeavesTheVoiceWorking() {
        try (FreeTts oneVoice = FreeTts.builder().voices(1).build()) {
            TtsStream stream = oneVoice.open(new TtsRequest("c", 16000, "en", ""));
            stream.send(ORDER.repeat(30));
            stream.flush();
            assertThat(stream.next()).isPresent();
            stream.close();

            assertThat(stream.next()).isEmpty();
            stream.send("ignored after close");
            stream.flush();
            assertThat(stream.next()).isEmpty();
            // the same (only) voice serves the next stream
            TtsStream next = oneVoice.open(new TtsRequest("c", 16000, "en", ""));
            next.send("Still here.");
            next.finish();
            assertThat(Recorded.readToEnd(next).words()).extracting(WordTiming::word).containsExactly("Still", "here");
        }
    }

    @Test
    void interruptingAWaitingReaderClosesTheStream() throws Exception {
        TtsStream stream = open(16000);
        CompletableFuture<Optional<TtsEvent>> next = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> next.complete(stream.next()));
        while (reader.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        reader.interrupt();

        assertThat(next.get(5, TimeUnit.SECONDS)).isEmpty();
        stream.send("Hello.");
        stream.finish();
        assertThat(stream.next()).isEmpty();
    }

    @Test
    void aReaderThatNeverReadsDoesNotHoldUpOtherStreams() {
        TtsStream stalled = open(16000);
        stalled.send(ORDER.repeat(40));
        stalled.flush();
        try {
            Recorded other = speak(16000, "Thank you, goodbye.");
            assertThat(other.frames()).isNotEmpty();
            assertThat(other.firstAudioAfter()).isLessThan(Duration.ofSeconds(2));
        } finally {
            stalled.close();
        }
    }

    @Test
    void tenConcurrentStreamsFromVirtualThreadsAllGetTheirOwnAudio() throws Exception {
        List<String> texts = IntStream.range(0, 10)
                .mapToObj(i -> "Order number " + (i + 1) + " is " + (i + 2) + " pizzas. Thank you.").toList();
        List<Integer> expected = texts.stream().map(t -> speak(8000, t).samples().length).toList();

        List<Recorded> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Recorded>> futures = new ArrayList<>();
            for (String text : texts) {
                futures.add(executor.submit(() -> {
                    TtsStream s = open(8000);
                    for (String word : text.split(" ")) {
                        s.send(word + " ");
                    }
                    s.flush();
                    s.finish();
                    return Recorded.readToEnd(s);
                }));
            }
            for (Future<Recorded> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            Recorded r = results.get(i);
            r.assertFramesAt(8000);
            assertThat(r.samples().length).as("stream %d", i).isEqualTo(expected.get(i));
            assertThat(r.flushedCount()).isEqualTo(1);
            assertThat(r.words()).extracting(WordTiming::word).contains(String.valueOf(i + 1));
        }
    }

    @Test
    void timeToFirstAudioIsSmall() {
        speak(8000, "Warm up.");
        TtsStream stream = open(8000);
        stream.send(ORDER);
        stream.flush();
        Recorded r;
        stream.finish();
        r = Recorded.readToEnd(stream);
        System.out.println("FreeTTS time to first audio: " + r.firstAudioAfter().toNanos() / 1e6 + " ms");
        assertThat(r.firstAudioAfter()).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void rejectsOtherLanguagesVoicesAndUseAfterFinish() {
        assertThatThrownBy(() -> LocalTts.english().open(new TtsRequest("c", 8000, "ar", "")))
                .isInstanceOf(ParleyException.class).hasMessageContaining("English only");
        assertThatThrownBy(() -> LocalTts.english().open(new TtsRequest("c", 8000, "en", "alan")))
                .isInstanceOf(ParleyException.class).hasMessageContaining("kevin16");
        assertThatThrownBy(() -> LocalTts.english().open(new TtsRequest("c", 500, "en", "")))
                .isInstanceOf(IllegalArgumentException.class);
        TtsStream stream = open(8000);
        stream.finish();
        assertThatThrownBy(() -> stream.send("late")).isInstanceOf(IllegalStateException.class);
        stream.close();
    }

    @Test
    void aClosedPrivateEngineFailsWaitingStreamsInsteadOfHanging() {
        FreeTts engine = FreeTts.builder().voices(1).build();
        TtsStream before = engine.open(new TtsRequest("c", 16000, "en", ""));
        assertThat(engine.voiceCount()).isEqualTo(1);
        engine.close();
        before.send("Too late.");
        before.finish();

        assertThatThrownBy(() -> Recorded.readToEnd(before)).hasRootCauseInstanceOf(ParleyException.class);
        assertThatThrownBy(() -> engine.open(new TtsRequest("c", 16000, "en", "")))
                .isInstanceOf(ParleyException.class);
    }
}
