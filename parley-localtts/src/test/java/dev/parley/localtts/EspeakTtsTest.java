package dev.parley.localtts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.ParleyException;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EspeakTtsTest {
    private static EspeakTts tts;

    @BeforeAll
    static void needsEspeak() {
        assumeTrue(EspeakTts.isAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
        tts = EspeakTts.create();
    }

    private static Recorded speak(String language, int rate, String text) {
        TtsStream stream = tts.open(new TtsRequest("call-1", rate, language, ""));
        stream.send(text);
        stream.finish();
        return Recorded.readToEnd(stream);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ar    | 8000  | مرحبا، أريد بيتزا كبيرة من فضلك.                   | 6
            ar-SA | 16000 | شكرا جزيلا. طلبك جاهز.                            | 4
            ur    | 8000  | مجھے دو بڑے پیپرونی پیزا چاہئیں۔                    | 6
            ur-PK | 24000 | آپ کا آرڈر تیار ہے۔ شکریہ۔                          | 6
            en-US | 8000  | I would like two large pepperoni pizzas and a diet coke. | 11
            en-GB | 48000 | Your order will be ready in ten minutes.           | 8
            """)
    void speaksEachLanguageAtTheRequestedRate(String language, int rate, String text, int words) {
        Recorded r = speak(language, rate, text);

        r.assertFramesAt(rate);
        assertThat(r.levelDbfs()).isGreaterThan(-35);
        double perWord = r.audioDuration().toMillis() / 1000.0 / words;
        assertThat(perWord).isBetween(0.15, 0.8);
        assertThat(r.words()).hasSizeGreaterThanOrEqualTo(words - 1);
    }

    @Test
    void resamplingKeepsTheDuration() {
        String text = "Two large pizzas, please.";
        Duration at8 = speak("en", 8000, text).audioDuration();
        Duration at22 = speak("en", 22050, text).audioDuration();
        Duration at48 = speak("en", 48000, text).audioDuration();

        // equal up to the resampling filter's delay (a few ms, added once per piece)
        assertThat(Math.abs(at8.toMillis() - at22.toMillis())).isLessThanOrEqualTo(10);
        assertThat(Math.abs(at48.toMillis() - at22.toMillis())).isLessThanOrEqualTo(10);
    }

    @Test
    void arabicWordTimingsNameTheWordsInOrder() {
        Recorded r = speak("ar", 16000, "مرحبا، كيف حالك؟");

        List<WordTiming> words = r.words();
        assertThat(words).extracting(WordTiming::word).containsExactly("مرحبا", "كيف", "حالك");
        for (int i = 1; i < words.size(); i++) {
            assertThat(words.get(i).start()).isGreaterThanOrEqualTo(words.get(i - 1).end());
        }
        assertThat(words.getLast().end()).isLessThanOrEqualTo(r.audioDuration().plusMillis(1));
    }

    @Test
    void flushOrderingAcrossPiecesInUrdu() {
        TtsStream stream = tts.open(new TtsRequest("c", 8000, "ur", ""));
        stream.send("آپ کا آرڈر تیار ہے۔");
        stream.flush();
        stream.send("شکریہ۔");
        stream.flush();
        stream.finish();
        List<TtsEvent> events = Recorded.readToEnd(stream).events();

        int firstFlushed = events.indexOf(new TtsEvent.Flushed());
        int lastFlushed = events.lastIndexOf(new TtsEvent.Flushed());
        assertThat(firstFlushed).isPositive().isLessThan(lastFlushed);
        assertThat(lastFlushed).isEqualTo(events.size() - 1);
        assertThat(events.subList(0, firstFlushed)).anyMatch(TtsEvent.Audio.class::isInstance);
        assertThat(events.subList(firstFlushed, lastFlushed)).anyMatch(TtsEvent.Audio.class::isInstance);
    }

    @Test
    void explicitVoiceWithVariantAndRateOption() {
        EspeakTts fast = EspeakTts.builder().wordsPerMinute(300).build();
        String text = "This sentence is spoken at two different speeds.";
        TtsStream s = fast.open(new TtsRequest("c", 16000, "", "en-us+f3"));
        s.send(text);
        s.finish();
        Duration quick = Recorded.readToEnd(s).audioDuration();
        Duration normal = speak("en-us", 16000, text).audioDuration();

        assertThat(quick).isLessThan(normal.multipliedBy(3).dividedBy(4));
    }

    @Test
    void concurrentStreamsAcrossLanguagesAllComplete() throws Exception {
        List<String[]> work = List.of(new String[] {"ar", "شكرا جزيلا."}, new String[] {"ur", "شکریہ۔"},
                new String[] {"en", "Thank you."}, new String[] {"hi", "धन्यवाद।"});
        List<Recorded> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Recorded>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String[] w = work.get(i % work.size());
                futures.add(executor.submit(() -> speak(w[0], 8000, w[1])));
            }
            for (Future<Recorded> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        // the same text gives the same audio length whatever ran before it (espeak-ng may differ by a few samples)
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).levelDbfs()).isGreaterThan(-35);
            assertThat(results.get(i).samples().length)
                    .isCloseTo(results.get(i % work.size()).samples().length, org.assertj.core.data.Offset.offset(80));
        }
    }

    @Test
    void closeMidSynthesisUnblocksAndStops() {
        TtsStream stream = tts.open(new TtsRequest("c", 8000, "en", ""));
        stream.send("This is a long answer that goes on and on. ".repeat(40));
        stream.flush();
        assertThat(stream.next()).isPresent();
        stream.close();
        assertThat(stream.next()).isEmpty();
        assertThat(speak("en", 8000, "Still working.").frames()).isNotEmpty();
    }

    @Test
    void unknownLanguageOrVoiceIsAClearError() {
        assertThatThrownBy(() -> tts.open(new TtsRequest("c", 8000, "xx-YY", "")))
                .isInstanceOf(ParleyException.class).hasMessageContaining("no voice for language 'xx-YY'");
        assertThatThrownBy(() -> tts.open(new TtsRequest("c", 8000, "en", "nosuchvoice")))
                .isInstanceOf(ParleyException.class).hasMessageContaining("nosuchvoice");
        assertThat(tts.voices()).contains("ar", "ur", "en-us", "en-gb", "hi");
    }

    @Test
    void timeToFirstAudioIsSmall() {
        speak("en", 8000, "Warm up.");
        Recorded r = speak("en", 8000, "I would like two large pepperoni pizzas and a diet coke.");
        System.out.println("espeak-ng time to first audio: " + r.firstAudioAfter().toNanos() / 1e6 + " ms");
        assertThat(r.firstAudioAfter()).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void multilingualRoutesEnglishToFreeTtsAndTheRestToEspeak() {
        var tts = LocalTts.multilingual();
        TtsStream english = tts.open(new TtsRequest("c", 16000, "en-US", ""));
        english.send("Hello.");
        english.finish();
        TtsStream urdu = tts.open(new TtsRequest("c", 16000, "ur", ""));
        urdu.send("شکریہ۔");
        urdu.finish();

        assertThat(Recorded.readToEnd(english).words()).extracting(WordTiming::word).containsExactly("Hello");
        assertThat(Recorded.readToEnd(urdu).words()).extracting(WordTiming::word).containsExactly("شکریہ");
    }
}
