package dev.parley.sphinx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The other ways to give Sphinx its domain: a JSGF grammar, request vocabulary, custom pronunciations. */
class SphinxSttModelsTest {
    static final String GRAMMAR = """
            #JSGF V1.0;
            grammar order;
            // a tiny ordering grammar
            public <order> = [<polite>] <item> (and <item>)* | yes | no | cancel the <food>;
            <polite> = i would like | can i get;
            <item> = (a | one | two | three) [small | medium | large] <food>;
            <food> = pizza | pizzas | pepperoni pizza | pepperoni pizzas | coke | diet coke | fries | salad;
            """;

    @Test
    void grammarModeRecognisesSentencesOfTheGrammar() {
        try (var stt = SphinxStt.builder().grammar(GRAMMAR).maxConcurrentStreams(1).build();
                var stream = stt.open(new SttRequest("g", AudioFormat.PCM_16K, "en-US", List.of()))) {
            List<String> said = List.of("i would like two large pepperoni pizzas and a diet coke", "cancel the fries");
            var finals = SphinxSttTest.finals(SphinxSttTest.transcribe(stream, said, 16000));
            assertThat(finals).extracting(SttEvent.Final::text).containsExactlyElementsOf(said);
            assertThat(stt.unknownWords()).isEmpty();
        }
    }

    @Test
    void grammarWordsWithoutPronunciationAreRejected() {
        String jsgf = "#JSGF V1.0;\ngrammar g;\npublic <s> = one zqxwv;\n";
        assertThatThrownBy(() -> SphinxStt.builder().grammar(jsgf).prewarm(0).build())
                .isInstanceOf(ParleyException.class)
                .hasMessageContaining("zqxwv");
    }

    @Test
    void unknownCorpusWordsAreReportedAndCanBeGivenAPronunciation() {
        List<String> corpus = List.of("a margherita pizza please", "a zqxwv please", "a cheesesteak please");
        try (var stt = SphinxStt.builder().corpus(corpus).prewarm(0).build()) {
            assertThat(stt.unknownWords()).contains("margherita", "zqxwv").doesNotContain("cheesesteak", "pizza");
            assertThat(stt.recognizers()).isZero();
        }
        try (var stt = SphinxStt.builder().corpus(corpus).pronunciation("Margherita", "M AA R G ER IY T AH")
                .prewarm(0).build()) {
            assertThat(stt.unknownWords()).containsExactly("zqxwv");
        }
    }

    @Test
    void requestVocabularyExtendsTheCorpus() {
        // the base corpus knows nothing about dessert; the request's vocabulary adds it for this call
        List<String> corpus = List.of("i would like a pizza", "yes", "no thank you");
        try (var stt = SphinxStt.builder().corpus(corpus).prewarm(0).maxConcurrentStreams(1).build();
                var stream = stt.open(new SttRequest("v", AudioFormat.PCM_16K, "en-US",
                        List.of("a slice of tiramisu", "chocolate cake")))) {
            var finals = SphinxSttTest.finals(SphinxSttTest.transcribe(stream, List.of("a slice of tiramisu"), 16000));
            assertThat(finals).extracting(SttEvent.Final::text).containsExactly("a slice of tiramisu");
            assertThat(stt.recognizers()).as("the base model was not needed").isZero();
        }
    }

    @Test
    void rejectsNonEnglishAndMissingModel() {
        assertThatThrownBy(() -> SphinxStt.builder().build()).isInstanceOf(IllegalStateException.class);
        try (var stt = SphinxStt.builder().corpus(List.of("hola")).prewarm(0).build()) {
            assertThatThrownBy(() -> stt.open(new SttRequest("x", AudioFormat.PCM_8K, "es-ES", new ArrayList<>())))
                    .isInstanceOf(ParleyException.class);
        }
    }
}
