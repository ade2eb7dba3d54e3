package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SpeechToText} must show. Extend it in a provider module's tests and
 * supply the provider and audio of a known utterance; loosen {@link #assertTranscript} for
 * recognisers that are not word-exact.
 */
public abstract class SttContract {
    /** A fresh provider (called once per test). */
    protected abstract SpeechToText stt();

    /** Audio of one short utterance at {@link #sampleRate()} (no long leading or trailing silence). */
    protected abstract List<AudioFrame> utteranceAudio();

    /** What {@link #utteranceAudio()} says. */
    protected abstract String utteranceText();

    protected int sampleRate() {
        return 16000;
    }

    /** Whether the provider emits interim results. */
    protected boolean supportsInterims() {
        return true;
    }

    /** How long results may take. */
    protected Duration resultTimeout() {
        return Duration.ofSeconds(10);
    }

    protected SttRequest request() {
        return new SttRequest("contract-call", AudioFormat.pcm16(sampleRate()), "en-US", List.of());
    }

    /** Checks a complete transcript against {@link #utteranceText()}; default: the same words. */
    protected void assertTranscript(String actual) {
        assertThat(ContractSupport.words(actual)).as("transcript").isEqualTo(ContractSupport.words(utteranceText()));
    }

    /** Checks a final that may cover part of the utterance; default: non-empty, only words of the utterance. */
    protected void assertPartOfTranscript(String actual) {
        assertThat(ContractSupport.words(actual)).as("final transcript").isNotEmpty()
                .isSubsetOf(ContractSupport.words(utteranceText()));
    }

    private void sendAll(SttStream stream, List<AudioFrame> frames) {
        for (AudioFrame f : frames) {
            stream.send(f);
        }
    }

    private static String finalsText(List<SttEvent> events) {
        return events.stream().filter(SttEvent.Final.class::isInstance).map(e -> ((SttEvent.Final) e).text())
                .filter(t -> !t.isBlank()).collect(Collectors.joining(" "));
    }

    @Test
    void finalTranscriptFollowsAudioAndFinalizeTurn() {
        SttStream stream = stt().open(request());
        try (var events = StreamRecorder.start(stream)) {
            sendAll(stream, utteranceAudio());
            sendAll(stream, TestAudio.silence(Duration.ofMillis(200), sampleRate()));
            stream.finalizeTurn();
            var fin = events.awaitItem(e -> e instanceof SttEvent.Final f && !f.text().isBlank(), resultTimeout());
            assertPartOfTranscript(((SttEvent.Final) fin).text());
        }
    }

    @Test
    void interimsComeBeforeTheFinal() {
        assumeTrue(supportsInterims(), "provider has no interim results");
        SttStream stream = stt().open(request());
        try (var events = StreamRecorder.start(stream)) {
            sendAll(stream, utteranceAudio());
            sendAll(stream, TestAudio.silence(Duration.ofMillis(200), sampleRate()));
            stream.finalizeTurn();
            events.awaitItem(e -> e instanceof SttEvent.Final f && !f.text().isBlank(), resultTimeout());
            List<SttEvent> all = events.items();
            int firstFinal = 0;
            while (!(all.get(firstFinal) instanceof SttEvent.Final f && !f.text().isBlank())) {
                firstFinal++;
            }
            assertThat(all.subList(0, firstFinal)).as("events before the first final")
                    .anyMatch(e -> e instanceof SttEvent.Interim i && !i.text().isBlank());
        }
    }

    @Test
    void finishDeliversPendingResultsThenEndsTheStream() {
        SttStream stream = stt().open(request());
        try (var events = StreamRecorder.start(stream)) {
            sendAll(stream, utteranceAudio());
            stream.finish();
            List<SttEvent> all = events.awaitEnd(resultTimeout());
            assertTranscript(finalsText(all));
        }
    }

    @Test
    void silenceYieldsNoTranscript() {
        SttStream stream = stt().open(request());
        try (var events = StreamRecorder.start(stream)) {
            sendAll(stream, TestAudio.silence(Duration.ofSeconds(1), sampleRate()));
            stream.finish();
            assertThat(finalsText(events.awaitEnd(resultTimeout()))).as("finals for silence").isEmpty();
        }
    }

    @Test
    void closeUnblocksAPendingNext() {
        SttStream stream = stt().open(request());
        var events = StreamRecorder.start(stream);
        events.awaitReaderBlocked(resultTimeout());
        long t0 = System.nanoTime();
        stream.close();
        events.awaitDone(ContractSupport.CLOSE_BOUND);
        assertThat(events.failure()).as("next() after close").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ContractSupport.CLOSE_BOUND);
    }

    @Test
    void closeIsIdempotentFromAnyThread() throws Exception {
        SttStream stream = stt().open(request());
        sendAll(stream, utteranceAudio());
        ContractSupport.closeFromManyThreads(stream);
        var events = StreamRecorder.start(stream);
        assertThat(events.awaitEnd(ContractSupport.CLOSE_BOUND)).as("events after close").isEmpty();
    }

    @Test
    void callsAfterCloseAreIgnoredOrFailCleanly() {
        SttStream stream = stt().open(request());
        stream.close();
        ContractSupport.returnsOrFailsCleanly("send", () -> sendAll(stream, utteranceAudio()));
        ContractSupport.returnsOrFailsCleanly("finalizeTurn", stream::finalizeTurn);
        ContractSupport.returnsOrFailsCleanly("finish", stream::finish);
        var events = StreamRecorder.start(stream);
        assertThat(events.awaitEnd(ContractSupport.CLOSE_BOUND)).isEmpty();
    }
}
