package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorpusTest {
    private static final String CMUDICT = "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
    private final Menu menu = TestMenus.TONYS;
    private final UtteranceParser parser = new UtteranceParser(menu);

    @Test
    void phrasesAreLowercaseWordsWithoutDuplicates() {
        List<String> phrases = menu.phrases();
        assertThat(phrases).hasSizeGreaterThan(1500);
        assertThat(phrases).allSatisfy(p -> assertThat(p).matches("[a-z']+( [a-z']+)*"));
        assertThat(new HashSet<>(phrases)).hasSameSizeAs(phrases);
        assertThat(OrderEngine.offline(menu).corpus()).isEqualTo(phrases);
    }

    @Test
    void coversItemsSizesQuantitiesAndConversationMoves() {
        List<String> phrases = menu.phrases();
        for (MenuItem item : menu.items()) {
            assertThat(phrases).as(item.id()).anyMatch(p -> p.contains(item.name()));
        }
        assertThat(phrases).anyMatch(p -> p.endsWith("five small cheese pizzas"));
        assertThat(phrases).anyMatch(p -> p.endsWith("two orders of large fries"));
        assertThat(phrases).contains(
                "how much is a large veggie pizza", "what comes on the supreme pizza", "cancel the fries",
                "actually make that three", "make the pizza a large", "that's all", "yes", "no that's it",
                "let me talk to a person", "what drinks do you have", "hi");
        assertThat(phrases).anyMatch(p -> p.contains(" and a ") && p.split(" ").length > 5);
        assertThat(phrases).anyMatch(p -> p.contains("with extra cheese"));
        assertThat(phrases).anyMatch(p -> p.contains("no onions"));
    }

    @Test
    void everyWordIsInTheRecognisersPronouncingDictionary() throws IOException {
        Set<String> dictionary = new HashSet<>();
        try (InputStream in = getClass().getResourceAsStream(CMUDICT)) {
            assertThat(in).as("cmudict on the test class path").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    dictionary.add(line.substring(0, space));
                }
            }
        }
        List<String> words = menu.words();
        assertThat(words).isSorted().doesNotHaveDuplicates().hasSizeGreaterThan(150);
        assertThat(words.stream().filter(w -> !dictionary.contains(w)).toList()).isEmpty();
    }

    @Test
    void theEngineUnderstandsWhatTheCorpusSays() {
        Set<String> fillers = Set.of("sorry", "um", "uh", "one second", "thank you", "thanks", "bye", "goodbye",
                "never mind", "actually", "actually make that", "hold on", "wait", "i want to order",
                "hi i'd like to place an order", "i'd like to order for pickup", "okay");
        List<String> notUnderstood = menu.phrases().stream()
                .filter(p -> !fillers.contains(p))
                .filter(p -> parser.parse(p) instanceof Intent.Unknown)
                .toList();
        assertThat(notUnderstood).isEmpty();
    }

    @Test
    void everyOrderPhraseNamesTheItemItWasGeneratedFor() {
        for (MenuItem item : menu.items()) {
            for (int q = 2; q <= 5; q++) {
                String phrase = NumberWords.words(q) + " " + item.plural();
                Intent intent = parser.parse(phrase);
                assertThat(intent).as(phrase).isInstanceOf(Intent.Order.class);
                assertThat(((Intent.Order) intent).items()).as(phrase)
                        .containsExactly(new Intent.ItemRequest(item.id(), q, true, "", List.of()));
            }
        }
    }
}
