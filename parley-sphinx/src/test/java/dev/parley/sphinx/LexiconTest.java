package dev.parley.sphinx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LexiconTest {
    @Test
    void normalisesSentencesToDictionaryWords() {
        assertThat(Lexicon.words("I'd like 2 Large Pizzas, please!")).containsExactly("i'd", "like", "two", "large", "pizzas", "please");
        assertThat(Lexicon.words("'quoted' 115")).containsExactly("quoted", "one", "hundred", "fifteen");
        assertThat(Lexicon.spell(42)).isEqualTo("forty two");
    }

    @Test
    void looksUpPronunciationsWithAlternatesCompoundsAndCustomEntries() {
        var lexicon = Lexicon.lookup(List.of("the", "pizza", "cheesesteak", "margherita", "zqxwv"),
                Map.of("margherita", "M AA R G ER IY T AH"));
        assertThat(lexicon.unknown()).containsExactly("zqxwv");
        String dict = lexicon.dictionaryText();
        assertThat(dict).contains("the DH AH\n", "the(2) DH IY\n", "pizza P IY T S AH\n", "margherita M AA R G ER IY T AH\n");
        assertThat(dict).containsPattern("cheesesteak CH IY Z S T EY K");
        assertThat(lexicon.knows("cheesesteak")).isTrue();
        assertThat(lexicon.knows("zqxwv")).isFalse();
    }
}
