package dev.parley.sphinx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFormat;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real recognition of FreeTTS speech with a language model built from a generated menu corpus. */
class SphinxSttTest {
    static final List<String> ORDERS = List.of(
            "i would like two large pepperoni pizzas and a diet coke",
            "can i get a cheeseburger with no onions",
            "yes that is correct",
            "cancel the fries",
            "i want a chicken sandwich and a small lemonade",
            "add extra cheese to the pizza",
            "no thank you that is all",
            "how much is a medium veggie pizza");

    static SphinxStt stt;

    @BeforeAll
    static void build() {
        stt = SphinxStt.builder().corpus(MenuCorpus.sentences()).maxConcurrentStreams(2).prewarm(1).build();
    }

    @AfterAll
    static void close() {
        stt.close();
    }

    static SttStream open(String callId, int rate) {
        return stt.open(new SttRequest(callId, AudioFormat.pcm16(rate), "en-US", List.of()));
    }

    /** Sends each sentence followed by a pause, then finishes; returns every event. */
    static List<SttEvent> transcribe(SttStream stream, List<String> sentences, int rate) {
        List<short[]> parts = new ArrayList<>(List.of(Speech.silence(400, 16000)));
        for (String s : sentences) {
            parts.add(Speech.say(s));
            parts.add(Speech.silence(800, 16000));
        }
        short[] audio = Speech.concat(parts);
        for (var frame : Speech.frames(rate == 8000 ? Speech.to8k(audio) : audio, rate)) {
            stream.send(frame);
        }
        stream.finish();
        List<SttEvent> events = new ArrayList<>();
        for (Optional<SttEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
            events.add(e.get());
        }
        return events;
    }

    static List<SttEvent.Final> finals(List<SttEvent> events) {
        return events.stream().filter(SttEvent.Final.class::isInstance).map(SttEvent.Final.class::cast).toList();
    }

    static double wer(List<String> references, List<SttEvent.Final> finals) {
        String ref = String.join(" ", references);
        String hyp = String.join(" ", finals.stream().map(SttEvent.Final::text).toList());
        return (double) Wer.errors(ref, hyp) / Wer.words(ref);
    }

    @Test
    void recognisesOrderSentencesAt16kWithInterimsBeforeEachFinal() {
        List<SttEvent> events;
        try (var stream = open("wer16", 16000)) {
            events = transcribe(stream, ORDERS, 16000);
        }
        var finals = finals(events);
        assertThat(finals).hasSize(ORDERS.size()).allMatch(SttEvent.Final::endOfSpeech);
        assertThat(wer(ORDERS, finals)).isLessThanOrEqualTo(0.10);
        // every utterance: speech started, interims, then its final; interims are prefixes-in-progress
        int interimsSinceFinal = 0;
        int utterancesWithInterims = 0;
        for (SttEvent e : events) {
            switch (e) {
                case SttEvent.Interim i -> {
                    interimsSinceFinal++;
                    assertThat(i.text()).isNotBlank();
                }
                case SttEvent.Final f -> {
                    if (interimsSinceFinal > 0) {
                        utterancesWithInterims++;
                    }
                    interimsSinceFinal = 0;
                }
                default -> {}
            }
        }
        assertThat(utterancesWithInterims).isGreaterThanOrEqualTo(ORDERS.size() - 1);
        assertThat(events).filteredOn(SttEvent.SpeechStarted.class::isInstance).hasSize(ORDERS.size());
        // word timings increase and stay inside the audio
        Duration previous = Duration.ZERO;
        for (var f : finals) {
            for (var w : f.words()) {
                assertThat(w.start()).isGreaterThanOrEqualTo(previous.minusMillis(50));
                assertThat(w.end()).isLessThan(Duration.ofSeconds(40));
                previous = w.end();
            }
            assertThat(f.words().stream().map(w -> w.word()).toList()).isEqualTo(Lexicon.words(f.text()));
            assertThat(f.confidence()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void recognisesTelephoneAudioAt8k() {
        List<String> sentences = ORDERS.subList(0, 3);
        List<SttEvent> events;
        try (var stream = open("wer8", 8000)) {
            events = transcribe(stream, sentences, 8000);
        }
        assertThat(wer(sentences, finals(events))).isLessThanOrEqualTo(0.10);
    }

    @Test
    void finalizeTurnEndsTheUtterancePromptlyAndTheStreamGoesOn() throws Exception {
        try (var stream = open("finalize", 16000)) {
            for (String sentence : List.of(ORDERS.get(3), ORDERS.get(2))) {
                short[] speech = Speech.trimTrailingSilence(Speech.say(sentence));
                for (var frame : Speech.frames(Speech.concat(List.of(Speech.silence(300, 16000), speech)), 16000)) {
                    stream.send(frame);
                }
                long asked = System.nanoTime();
                stream.finalizeTurn();
                SttEvent.Final fin = nextFinal(stream);
                long tookMs = (System.nanoTime() - asked) / 1_000_000;
                assertThat(fin.text()).isEqualTo(sentence);
                assertThat(fin.endOfSpeech()).isTrue();
                assertThat(tookMs).as("finalize latency (includes decoding the sentence)").isLessThan(8000);
            }
        }
    }

    @Test
    void finalizeTurnDuringSilenceGivesAnEmptyFinal() {
        try (var stream = open("silent", 8000)) {
            for (var frame : Speech.frames(Speech.silence(600, 8000), 8000)) {
                stream.send(frame);
            }
            stream.finalizeTurn();
            assertThat(nextFinal(stream).text()).isEmpty();
        }
    }

    @Test
    void twoConcurrentStreamsEachGetTheirOwnWords() throws Exception {
        List<String> a = List.of(ORDERS.get(0), ORDERS.get(3));
        List<String> b = List.of(ORDERS.get(4), ORDERS.get(7));
        var first = CompletableFuture.supplyAsync(() -> {
            try (var s = open("concurrent-a", 16000)) {
                return finals(transcribe(s, a, 16000));
            }
        });
        var second = CompletableFuture.supplyAsync(() -> {
            try (var s = open("concurrent-b", 8000)) {
                return finals(transcribe(s, b, 8000));
            }
        });
        assertThat(wer(a, first.get(60, TimeUnit.SECONDS))).isLessThanOrEqualTo(0.10);
        assertThat(wer(b, second.get(60, TimeUnit.SECONDS))).isLessThanOrEqualTo(0.10);
        assertThat(stt.recognizers()).isLessThanOrEqualTo(2);
    }

    @Test
    void closeUnblocksAWaitingNextAndReturnsTheRecognizer() throws Exception {
        var stream = open("close", 16000);
        var waiting = CompletableFuture.supplyAsync(stream::next);
        stream.send(new dev.parley.audio.AudioFrame(Speech.silence(200, 16000), 16000));
        stream.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
        stream.close(); // idempotent
        assertThat(stream.next()).isEmpty();
        // the recogniser went back to the pool: a new stream works without creating more than the max
        try (var again = open("after-close", 16000)) {
            assertThat(finals(transcribe(again, List.of(ORDERS.get(3)), 16000)))
                    .extracting(SttEvent.Final::text).containsExactly(ORDERS.get(3));
        }
        assertThat(stt.recognizers()).isLessThanOrEqualTo(2);
    }

    static SttEvent.Final nextFinal(SttStream stream) {
        for (Optional<SttEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
            if (e.get() instanceof SttEvent.Final f) {
                return f;
            }
        }
        throw new AssertionError("stream ended without a final");
    }
}
