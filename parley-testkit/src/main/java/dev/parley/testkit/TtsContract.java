package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link TextToSpeech} must show. Extend it with a provider. */
public abstract class TtsContract {
    /** A fresh provider (called once per test). */
    protected abstract TextToSpeech tts();

    protected int sampleRate() {
        return 16000;
    }

    protected String firstText() {
        return "Hello there.";
    }

    protected String secondText() {
        return " How can I help you today?";
    }

    /** Text long enough that its audio is still arriving when the test closes the stream. */
    protected String longText() {
        return "Thank you for calling Tony's Pizza. Today we have large pepperoni pizzas, garlic bread, "
                + "fresh salads and cold drinks. What would you like to order?";
    }

    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    protected TtsRequest request() {
        return new TtsRequest("contract-call", sampleRate(), "en-US", "");
    }

    private static Duration audio(List<TtsEvent> events) {
        Duration d = Duration.ZERO;
        for (TtsEvent e : events) {
            if (e instanceof TtsEvent.Audio(var frame)) {
                d = d.plus(frame.duration());
            }
        }
        return d;
    }

    @Test
    void audioComesAtTheRequestedRate() {
        TtsStream stream = tts().open(request());
        try (var events = StreamRecorder.start(stream)) {
            stream.send(firstText());
            stream.flush();
            stream.finish();
            events.awaitEnd(timeout());
            var frames = events.items(TtsEvent.Audio.class);
            assertThat(frames).isNotEmpty().allSatisfy(a -> assertThat(a.frame().sampleRate()).isEqualTo(sampleRate()));
            assertThat(audio(events.items())).as("audio for \"%s\"", firstText()).isGreaterThan(Duration.ofMillis(200));
        }
    }

    @Test
    void flushedFollowsTheAudioOfEachFlushInOrder() {
        TtsStream stream = tts().open(request());
        try (var events = StreamRecorder.start(stream)) {
            stream.send(firstText());
            stream.flush();
            stream.send(secondText());
            stream.flush();
            stream.finish();
            List<TtsEvent> all = events.awaitEnd(timeout());
            int first = all.indexOf(new TtsEvent.Flushed());
            int second = first < 0 ? -1 : all.subList(first + 1, all.size()).indexOf(new TtsEvent.Flushed()) + first + 1;
            assertThat(all).filteredOn(TtsEvent.Flushed.class::isInstance).as("Flushed events").hasSize(2);
            assertThat(audio(all.subList(0, first))).as("audio before the first Flushed").isPositive();
            assertThat(audio(all.subList(first + 1, second))).as("audio between the Flusheds").isPositive();
            assertThat(audio(all.subList(second + 1, all.size()))).as("audio after the last Flushed").isZero();
        }
    }

    @Test
    void finishDeliversRemainingAudioThenEnds() {
        TtsStream stream = tts().open(request());
        try (var events = StreamRecorder.start(stream)) {
            stream.send(firstText());
            stream.finish();
            assertThat(audio(events.awaitEnd(timeout()))).isPositive();
        }
    }

    @Test
    void closeMidAudioUnblocksAndStops() {
        TtsStream stream = tts().open(request());
        var events = StreamRecorder.start(stream);
        stream.send(longText());
        stream.flush();
        events.awaitItem(TtsEvent.Audio.class, timeout());
        events.awaitReaderBlocked(timeout());
        long t0 = System.nanoTime();
        stream.close();
        events.awaitDone(ContractSupport.CLOSE_BOUND);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ContractSupport.CLOSE_BOUND);
        assertThat(events.failure()).as("next() after close").isEmpty();
        assertThat(stream.next()).as("next() after close").isEmpty();
    }

    @Test
    void closeIsIdempotentAndLaterCallsAreHarmless() throws Exception {
        TtsStream stream = tts().open(request());
        stream.send(firstText());
        ContractSupport.closeFromManyThreads(stream);
        ContractSupport.returnsOrFailsCleanly("send", () -> stream.send(secondText()));
        ContractSupport.returnsOrFailsCleanly("flush", stream::flush);
        ContractSupport.returnsOrFailsCleanly("finish", stream::finish);
        var events = StreamRecorder.start(stream);
        assertThat(events.awaitEnd(ContractSupport.CLOSE_BOUND)).isEmpty();
    }
}
