package dev.parley.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SentenceChunkerTest {

    /** Whole text in one push, then flush; the first chunk may only end at a sentence end. */
    private static List<String> sentences(String text) {
        return chunk(SentenceChunker.builder().firstClauseMinWords(Integer.MAX_VALUE).build(), List.of(text));
    }

    private static List<String> chunk(SentenceChunker chunker, List<String> deltas) {
        List<String> out = new ArrayList<>();
        for (String d : deltas) {
            out.addAll(chunker.push(d));
        }
        out.addAll(chunker.flush());
        return out;
    }

    private static List<String> chars(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            out.add(text.substring(i, i + 1));
        }
        return out;
    }

    private static List<String> randomDeltas(String text, Random random) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int n = Math.min(text.length() - i, 1 + random.nextInt(7));
            out.add(text.substring(i, i + n));
            i += n;
        }
        return out;
    }

    @Test
    void splitsAtSentenceEnds() {
        assertThat(sentences("Hello there. How are you? I am fine! Thanks"))
                .containsExactly("Hello there.", "How are you?", "I am fine!", "Thanks");
    }

    @Test
    void aBoundaryWaitsForTheNextCharacter() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.push("It costs $12.")).isEmpty();
        assertThat(chunker.push(" ")).isEmpty();
        assertThat(chunker.push("Then")).containsExactly("It costs $12.");
        assertThat(chunker.flush()).containsExactly("Then");

        assertThat(chunker.push("It costs $12.")).isEmpty();
        assertThat(chunker.push("50 in total. ")).isEmpty();
        assertThat(chunker.push("Ok")).containsExactly("It costs $12.50 in total.");
    }

    @Test
    void neverSplitsNumbersPricesAndTimes() {
        assertThat(sentences("It is $12.50 or 3.5 units, 1,000 people and 12,500 more. We open at 5:30 and close at 10:45 p.m. on Fridays. Done"))
                .containsExactly("It is $12.50 or 3.5 units, 1,000 people and 12,500 more.",
                        "We open at 5:30 and close at 10:45 p.m. on Fridays.", "Done");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mr.", "Mrs.", "Ms.", "Dr.", "St.", "vs.", "e.g.", "i.e.", "etc.", "a.m.", "p.m.", "U.S.",
            "approx.", "incl.", "Ph.D."})
    void neverSplitsAfterAbbreviations(String abbreviation) {
        String text = "We met " + abbreviation + " Smith at noon. Bye";
        assertThat(sentences(text)).containsExactly("We met " + abbreviation + " Smith at noon.", "Bye");
    }

    @Test
    void numberAbbreviationOnlyBeforeANumber() {
        assertThat(sentences("Take bus No. 5 home. No. I will walk. Ok"))
                .containsExactly("Take bus No. 5 home.", "No.", "I will walk.", "Ok");
    }

    @Test
    void initialsAreNotSentenceEnds() {
        assertThat(sentences("I love J. R. R. Tolkien. Me too"))
                .containsExactly("I love J. R. R. Tolkien.", "Me too");
    }

    @Test
    void emailAddressesAndDomainsStayWhole() {
        assertThat(sentences("Write to a.b@c.co.uk or visit example.com. Then wait. See https://www.example.org/x.y?z=1 now."))
                .containsExactly("Write to a.b@c.co.uk or visit example.com.", "Then wait.",
                        "See https://www.example.org/x.y?z=1 now.");
    }

    @Test
    void ellipsisBeforeALowerCaseWordIsNoBoundary() {
        assertThat(sentences("Wait... what did you say? Well… I think so. Hmm… no"))
                .containsExactly("Wait... what did you say?", "Well…", "I think so.", "Hmm… no");
    }

    @Test
    void closingQuotesAndBracketsStayWithTheirSentence() {
        assertThat(sentences("He said \"yes.\" Then he left (quietly.) After that, 'no!' she said. End"))
                .containsExactly("He said \"yes.\"", "Then he left (quietly.)", "After that, 'no!' she said.", "End");
    }

    @Test
    void periodBeforeALowerCaseWordAndListNumbersAreNoBoundary() {
        assertThat(sentences("1. Call approx 5 ft. from here. 2. Go"))
                .containsExactly("1. Call approx 5 ft. from here.", "2. Go");
    }

    @Test
    void firstChunkIsReleasedAtAClauseOnceItHasEnoughWords() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.push("Sure, ")).isEmpty(); // one word is too short
        assertThat(chunker.push("I can help")).isEmpty();
        assertThat(chunker.push(" with that, ")).isEmpty(); // waits for the next character
        assertThat(chunker.push("of course, really, ")).containsExactly("Sure, I can help with that,");
        assertThat(chunker.push("truly. Yes")).containsExactly("of course, really, truly.");
        assertThat(chunker.flush()).containsExactly("Yes");
    }

    @Test
    void firstClauseMinWordsIsConfigurable() {
        SentenceChunker chunker = SentenceChunker.builder().firstClauseMinWords(1).build();
        assertThat(chunk(chunker, List.of("Sure, I can help; okay: fine. Next, then"))).containsExactly(
                "Sure,", "I can help; okay: fine.", "Next, then");
        assertThatThrownBy(() -> SentenceChunker.builder().firstClauseMinWords(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dashesEndTheFirstClause() {
        assertThat(chunk(new SentenceChunker(), List.of("I think so — no, wait. Fine")))
                .containsExactly("I think so —", "no, wait.", "Fine");
        assertThat(chunk(new SentenceChunker(), List.of("Well I guess—actually no. Fine")))
                .containsExactly("Well I guess—", "actually no.", "Fine");
        assertThat(chunk(new SentenceChunker(), List.of("Open on days 5–10 at noon. Fine")))
                .containsExactly("Open on days 5–10 at noon.", "Fine");
    }

    @Test
    void longChunksWithoutSentenceEndsAreCutAtAClauseOrASpace() {
        SentenceChunker chunker = SentenceChunker.builder().maxChunkChars(40).build();
        String text = "Okay. This text goes on and on, without ever stopping at all and more words follow here";
        List<String> chunks = chunk(chunker, List.of(text));
        assertThat(chunks).containsExactly("Okay.", "This text goes on and on,",
                "without ever stopping at all and more", "words follow here");
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(40));
        assertThat(String.join(" ", chunks)).isEqualTo(text);
    }

    @Test
    void flushReturnsTheTrimmedRestAndResets() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.push("  Hi!  ")).isEmpty();
        assertThat(chunker.pending()).isEqualTo("  Hi!  ");
        assertThat(chunker.flush()).containsExactly("Hi!");
        assertThat(chunker.flush()).isEmpty();
        assertThat(chunker.push("   \n ")).isEmpty();
        assertThat(chunker.flush()).isEmpty();
        // after a flush the next reply again gets an early first clause
        assertThat(chunker.push("Yes of course, let me check. ")).containsExactly("Yes of course,");
        assertThat(chunker.push("One")).containsExactly("let me check.");
        chunker.reset();
        assertThat(chunker.pending()).isEmpty();
        assertThat(chunker.push("Right, well then, ")).isEmpty();
        assertThat(chunker.push("x")).containsExactly("Right, well then,");
    }

    @Test
    void punctuationAloneIsNotAChunk() {
        assertThat(sentences("... Hello. ")).containsExactly("... Hello.");
    }

    @Test
    void unicodeText() {
        assertThat(sentences("¿Cómo estás? Muy bien, gracias. Ça va très bien! 😀 Génial… Überall."))
                .containsExactly("¿Cómo estás?", "Muy bien, gracias.", "Ça va très bien!", "😀 Génial…", "Überall.");
        assertThat(sentences("你好。我很好！你呢？好")).containsExactly("你好。", "我很好！", "你呢？", "好");
        assertThat(chunk(new SentenceChunker(), List.of("我们明天见面、一起吃饭。好")))
                .containsExactly("我们明天见面、", "一起吃饭。", "好");
    }

    private static final List<String> TEXTS = List.of(
            "Sure, I can help with that. Your total is $12.50, due on Jan. 5 at 10:45 p.m. Write to a.b@c.co.uk, "
                    + "or visit example.com. Wait... what? He said \"yes.\" Then J. R. R. Tolkien spoke!",
            "Well… I think so, yes. Dr. Smith (of the U.S. office) said 1,000 is fine; approx. 3.5 per day. No. 7 is next.",
            "Okay — let me see: we have 12,500 seats left, e.g. in rows 1-5, i.e. the front. 你好。我很好！Bye 😀 now.",
            "A very long sentence that keeps going without stopping, and it goes on and on with many words and clauses "
                    + "and still more words, because the model likes to talk at length about things, and it never "
                    + "seems to end anywhere near a period which means the safeguard has to cut it somewhere sensible "
                    + "for the voice to start speaking without waiting too long for the end of it all. Done.");

    @Test
    void anySplitIntoDeltasGivesTheSameChunks() {
        Random random = new Random(42);
        for (String text : TEXTS) {
            List<String> whole = chunk(new SentenceChunker(), List.of(text));
            assertThat(whole).hasSizeGreaterThan(2);
            assertThat(chunk(new SentenceChunker(), chars(text))).as("1-char deltas of %s", text).isEqualTo(whole);
            for (int i = 0; i < 50; i++) {
                assertThat(chunk(new SentenceChunker(), randomDeltas(text, random))).as("random deltas of %s", text)
                        .isEqualTo(whole);
            }
            assertThat(String.join(" ", whole).replaceAll("\\s+", "")).isEqualTo(text.replaceAll("\\s+", ""));
        }
    }

    @Test
    void releasesTheFirstChunkAtTheEarliestBoundary() {
        List<String> chunks = chunk(new SentenceChunker(), List.of(TEXTS.get(0)));
        assertThat(chunks).startsWith("Sure, I can help with that.", "Your total is $12.50, due on Jan. 5 at 10:45 p.m. Write to a.b@c.co.uk, or visit example.com.");
        List<String> second = chunk(new SentenceChunker(), List.of(TEXTS.get(3)));
        assertThat(second.getFirst()).isEqualTo("A very long sentence that keeps going without stopping,");
        assertThat(second).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(SentenceChunker.DEFAULT_MAX_CHUNK_CHARS));
    }

    @Test
    void pushScansOnlyNewText() {
        // 200 kB of text pushed in 4-character deltas: quadratic rescanning would take far longer than the bound
        String sentence = "This is sentence number 12.5 and it ends here, e.g. now. ";
        SentenceChunker chunker = new SentenceChunker();
        int chunks = 0;
        long start = System.nanoTime();
        String text = sentence.repeat(3500);
        for (int i = 0; i < text.length(); i += 4) {
            chunks += chunker.push(text.substring(i, Math.min(text.length(), i + 4))).size();
        }
        chunks += chunker.flush().size();
        assertThat(chunks).isEqualTo(3500 + 1); // the first sentence is released at its comma
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
