package dev.parley.sphinx;

import dev.parley.spi.WordTiming;
import edu.cmu.sphinx.result.Lattice;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Reads text, word timings and confidence out of a Sphinx4 {@link Result} without going through
 * {@code SpeechResult}, whose constructor throws a NullPointerException in sphinx4 1.0.0
 * ({@code Lattice.<init>}) for some results.
 */
final class Hypotheses {
    private Hypotheses() {}

    /** The best hypothesis without fillers, single-spaced ("" if none). */
    static String text(Result result) {
        String t = result.getBestResultNoFiller();
        return t == null ? "" : t.trim().replaceAll("\\s+", " ");
    }

    /**
     * Word timings of the best hypothesis. {@code toStreamTime} maps recogniser milliseconds to the
     * time in the audio sent on the stream.
     */
    static List<WordTiming> words(Result result, LongFunction<Duration> toStreamTime) {
        List<WordTiming> out = new ArrayList<>();
        for (WordResult w : result.getTimedBestResult(false)) {
            String spelling = w.getWord().getSpelling();
            if (w.isFiller() || spelling.startsWith("<") || spelling.startsWith("[")) {
                continue;
            }
            long a = w.getTimeFrame().getStart();
            long b = w.getTimeFrame().getEnd();
            Duration start = toStreamTime.apply(Math.min(a, b));
            Duration end = toStreamTime.apply(Math.max(a, b));
            out.add(new WordTiming(stripAlternate(spelling), start, end));
        }
        return out;
    }

    /**
     * Mean word posterior over the best path, from the word lattice. Returns {@code fallback} when the
     * lattice cannot be built (the 1.0.0 Lattice bug) or has no words.
     */
    static double confidence(Result result, float languageWeight, double fallback) {
        try {
            Lattice lattice = new Lattice(result);
            lattice.computeNodePosteriors(languageWeight);
            LogMath logMath = LogMath.getLogMath();
            double sum = 0;
            int n = 0;
            for (WordResult w : lattice.getWordResultPath()) {
                if (!w.isFiller()) {
                    sum += Math.min(1, Math.max(0, logMath.logToLinear((float) w.getConfidence())));
                    n++;
                }
            }
            return n == 0 ? fallback : sum / n;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static String stripAlternate(String spelling) {
        int paren = spelling.indexOf('(');
        return paren > 0 ? spelling.substring(0, paren) : spelling;
    }
}
