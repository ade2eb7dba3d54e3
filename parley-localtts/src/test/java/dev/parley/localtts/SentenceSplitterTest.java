package dev.parley.localtts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
    @Test
    void splitsAtSentenceEndsButNotInsideNumbersOrAbbreviations() {
        assertThat(SentenceSplitter.split("Your total is $12.50. Dr. Smith says hi! Ready?\nYes"))
                .containsExactly("Your total is $12.50.", "Dr. Smith says hi!", "Ready?", "Yes");
    }

    @Test
    void splitsArabicAndUrduPunctuation() {
        assertThat(SentenceSplitter.split("كيف حالك؟ شكرا. آپ کا آرڈر تیار ہے۔ شکریہ۔"))
                .containsExactly("كيف حالك؟", "شكرا.", "آپ کا آرڈر تیار ہے۔", "شکریہ۔");
    }

    @Test
    void dropsBlankPiecesAndCutsOverlongOnesWithoutLosingText() {
        assertThat(SentenceSplitter.split("  \n ")).isEmpty();
        String longText = "one two three, ".repeat(60);
        List<String> pieces = SentenceSplitter.split(longText);
        assertThat(pieces).hasSizeGreaterThan(1)
                .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(SentenceSplitter.MAX_LENGTH));
        assertThat(String.join(" ", pieces).replace(" ", "")).isEqualTo(longText.replace(" ", ""));
        String noSpaces = "x".repeat(1000);
        assertThat(String.join("", SentenceSplitter.split(noSpaces))).isEqualTo(noSpaces);
    }
}
