package dev.parley.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts a model's streamed text into chunks for speech synthesis.
 *
 * <p>The first chunk of a reply is released as early as it can sound natural: at the first
 * sentence end ({@code . ! ? …}) or, once it has {@link Builder#firstClauseMinWords} words, at a
 * clause mark ({@code , ; : —} and {@code –} before a space). Later chunks end at sentence ends,
 * or, past {@link Builder#maxChunkChars} characters without one, at the last clause mark or space.
 *
 * <p>A boundary is confirmed only once the text after it is seen (a space and then the next
 * character, or the end of the stream), so the result does not depend on how the text is split
 * into deltas. A period does not end a sentence inside numbers and prices ({@code $12.50}, {@code
 * 1,000}), times ({@code 5:30}), addresses ({@code a.b@c.co.uk}, {@code example.com}), after
 * abbreviations ({@code Dr.}, {@code e.g.}, {@code p.m.}, {@code U.S.}, initials such as {@code J.
 * R. R.}), before a lower-case word ({@code wait... what}, {@code "No!" she said}), or before a number after {@code No.};
 * closing quotes and brackets stay with their sentence. CJK full stops and commas need no space.
 *
 * <p>Each {@link #push} scans only the new text (plus the few characters of a boundary waiting
 * for its confirmation). Not thread-safe: one reply's thread owns a chunker.
 */
public final class SentenceChunker {
    /** Default of {@link Builder#firstClauseMinWords}. */
    public static final int DEFAULT_FIRST_CLAUSE_MIN_WORDS = 3;
    /** Default of {@link Builder#maxChunkChars}. */
    public static final int DEFAULT_MAX_CHUNK_CHARS = 250;

    /** Abbreviations (lower case, without the final period) after which a period never ends a sentence. */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "a.m",
            "p.m", "u.s", "u.k", "u.n", "e.u", "approx", "incl", "excl", "dept", "cf", "al", "inc", "ltd",
            "co", "corp", "gen", "col", "lt", "sgt", "capt", "rev", "hon", "ave", "blvd", "rd", "jan", "feb",
            "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri");
    /** Abbreviations that keep the sentence going only before a number ("No. 5", but "No. I won't."). */
    private static final Set<String> BEFORE_NUMBER = Set.of("no", "nos", "nr", "vol", "pp", "p", "ch", "art", "fig", "ext", "tel");

    private static final int WAIT = 0;
    private static final int NO = 1;
    private static final int CUT = 2;

    private final int firstClauseMinWords;
    private final int maxChunkChars;

    private final StringBuilder buf = new StringBuilder(256);
    private int pos; // next index of buf to scan; everything before it is part of the pending chunk
    private int skipUntil; // marks before this index were already judged not to be boundaries
    private int words; // words (runs with a letter or digit) in buf[0, pos)
    private boolean inRun; // buf[pos - 1] is not whitespace
    private boolean runCounted; // the current run has been counted as a word
    private int lastClauseCut = -1; // a cut after a clause mark, for over-long chunks
    private int lastSpace = -1;
    private boolean firstReleased;
    // results of evaluate*(): where a cut ends the chunk, where the next chunk starts, where to scan on
    private int cutEnd;
    private int nextStart;

    /** A chunker with the default options. */
    public SentenceChunker() {
        this(DEFAULT_FIRST_CLAUSE_MIN_WORDS, DEFAULT_MAX_CHUNK_CHARS);
    }

    private SentenceChunker(int firstClauseMinWords, int maxChunkChars) {
        this.firstClauseMinWords = firstClauseMinWords;
        this.maxChunkChars = maxChunkChars;
    }

    /** A builder of chunkers with non-default options. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link SentenceChunker}. */
    public static final class Builder {
        private int firstClauseMinWords = DEFAULT_FIRST_CLAUSE_MIN_WORDS;
        private int maxChunkChars = DEFAULT_MAX_CHUNK_CHARS;

        private Builder() {}

        /**
         * Words the first chunk needs before a clause mark may end it (default 3); {@link
         * Integer#MAX_VALUE} releases the first chunk at sentence ends only.
         */
        public Builder firstClauseMinWords(int words) {
            if (words < 1) {
                throw new IllegalArgumentException("firstClauseMinWords must be at least 1: " + words);
            }
            this.firstClauseMinWords = words;
            return this;
        }

        /** Length after which a chunk without a sentence end is cut anyway (default 250, at least 20). */
        public Builder maxChunkChars(int chars) {
            if (chars < 20) {
                throw new IllegalArgumentException("maxChunkChars must be at least 20: " + chars);
            }
            this.maxChunkChars = chars;
            return this;
        }

        /** A new chunker with these options. */
        public SentenceChunker build() {
            return new SentenceChunker(firstClauseMinWords, maxChunkChars);
        }
    }

    /**
     * Adds streamed text.
     *
     * @param delta the next piece of the model's text, of any length
     * @return the chunks this text completed, trimmed and in order; often empty
     */
    public List<String> push(CharSequence delta) {
        buf.append(delta);
        List<String> out = List.of();
        while (pos < buf.length()) {
            char c = buf.charAt(pos);
            int verdict = NO;
            if (pos >= skipUntil) {
                if (isTerminal(c)) {
                    verdict = sentenceEnd(pos);
                } else if (!firstReleased && isClause(c)) {
                    verdict = clauseEnd(pos);
                }
            }
            if (verdict == WAIT) {
                break;
            }
            if (verdict == CUT) {
                out = emit(out, cutEnd, nextStart);
                continue;
            }
            advance(c);
            if (pos >= maxChunkChars) {
                int at = lastClauseCut > 0 ? lastClauseCut : lastSpace > 0 ? lastSpace : hardCut();
                out = emit(out, at, at);
            }
        }
        return out;
    }

    /**
     * Ends the stream: returns the text still pending as a last chunk (none if it is blank) and
     * makes the chunker ready for a new reply.
     */
    public List<String> flush() {
        String rest = buf.toString().strip();
        reset();
        return rest.isEmpty() ? List.of() : List.of(rest);
    }

    /** Drops the pending text (the reply was cancelled) and makes the chunker ready for a new reply. */
    public void reset() {
        buf.setLength(0);
        restartScan();
        firstReleased = false;
    }

    /** The text received but not yet released in a chunk. */
    public String pending() {
        return buf.toString();
    }

    private List<String> emit(List<String> out, int end, int next) {
        String chunk = buf.substring(0, end).strip();
        buf.delete(0, next);
        restartScan();
        if (chunk.isEmpty()) {
            return out;
        }
        firstReleased = true;
        List<String> list = out.isEmpty() ? new ArrayList<>(2) : out;
        list.add(chunk);
        return list;
    }

    private void restartScan() {
        pos = 0;
        skipUntil = 0;
        words = 0;
        inRun = false;
        runCounted = false;
        lastClauseCut = -1;
        lastSpace = -1;
    }

    private void advance(char c) {
        if (Character.isWhitespace(c)) {
            int p = pos - 1;
            while (p >= 0 && isCloser(buf.charAt(p))) {
                p--;
            }
            if (p >= 0 && isClause(buf.charAt(p))) {
                lastClauseCut = pos;
            }
            lastSpace = pos;
            inRun = false;
        } else {
            if (!inRun) {
                inRun = true;
                runCounted = false;
            }
            if (isCjkLetter(c)) {
                words++; // every ideograph or kana counts: these scripts do not space words
            } else if (!runCounted && Character.isLetterOrDigit(c)) {
                words++;
                runCounted = true;
            }
            if (isFullWidthMark(c) && isClause(c)) {
                lastClauseCut = pos + 1;
            }
        }
        pos++;
    }

    private int hardCut() {
        return Character.isHighSurrogate(buf.charAt(pos - 1)) ? pos - 1 : pos;
    }

    /** Judges the sentence mark at {@code i}; on CUT sets cutEnd and nextStart, on NO skipUntil. */
    private int sentenceEnd(int i) {
        int n = buf.length();
        int j = i;
        boolean dotsOnly = true;
        boolean fullWidth = false;
        while (j < n && isTerminal(buf.charAt(j))) {
            char t = buf.charAt(j++);
            dotsOnly &= t == '.' || t == '…';
            fullWidth |= isFullWidthMark(t);
        }
        while (j < n && isCloser(buf.charAt(j))) {
            j++;
        }
        if (words == 0) {
            return notBoundary(j); // nothing to say yet ("..." at the start)
        }
        if (j == n) {
            return WAIT;
        }
        if (!Character.isWhitespace(buf.charAt(j))) {
            return fullWidth ? cutAt(j, j) : notBoundary(j);
        }
        int k = skipSpaces(j);
        if (k == n) {
            return WAIT;
        }
        char next = buf.charAt(k);
        if (!dotsOnly) { // "!" or "?": a lower-case word after it continues the sentence ("'No!' she said")
            return Character.isLowerCase(next) ? notBoundary(j) : cutAt(j, k);
        }
        boolean ellipsis = j - i > 1 && buf.charAt(i + 1) == '.' || buf.charAt(i) == '…';
        if (ellipsis ? Character.isLowerCase(next) : !periodEndsSentence(i, next)) {
            return notBoundary(j);
        }
        return cutAt(j, k);
    }

    private int notBoundary(int resumeAt) {
        skipUntil = resumeAt;
        return NO;
    }

    /** Judges the clause mark at {@code i} (first chunk only). */
    private int clauseEnd(int i) {
        if (words < firstClauseMinWords) {
            return NO;
        }
        int n = buf.length();
        char mark = buf.charAt(i);
        int j = i + 1;
        while (j < n && isCloser(buf.charAt(j))) {
            j++;
        }
        if (j == n) {
            return WAIT;
        }
        char after = buf.charAt(j);
        if (!Character.isWhitespace(after)) {
            // "1,000", "5:30", "Paris–Rome" are not boundaries; an unspaced em dash or a CJK comma is
            boolean unspaced = isFullWidthMark(mark) || (mark == '—' && Character.isLetter(after));
            return unspaced ? cutAt(j, j) : NO;
        }
        int k = skipSpaces(j);
        return k == n ? WAIT : cutAt(j, k);
    }

    private int cutAt(int end, int next) {
        cutEnd = end;
        nextStart = next;
        return CUT;
    }

    private int skipSpaces(int from) {
        int k = from;
        while (k < buf.length() && Character.isWhitespace(buf.charAt(k))) {
            k++;
        }
        return k;
    }

    /** Whether the single period at {@code i}, followed by space and {@code next}, ends a sentence. */
    private boolean periodEndsSentence(int i, char next) {
        int s = i;
        while (s > 0 && !Character.isWhitespace(buf.charAt(s - 1))) {
            s--;
        }
        while (s < i && isOpener(buf.charAt(s))) {
            s++;
        }
        if (s == i) {
            return true;
        }
        String word = buf.substring(s, i);
        String lower = word.toLowerCase(Locale.ROOT);
        if (ABBREVIATIONS.contains(lower) || isDottedAbbreviation(word)) {
            return false;
        }
        if (BEFORE_NUMBER.contains(lower)) {
            return !Character.isDigit(next);
        }
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            return false; // an initial: "J. R. R. Tolkien"
        }
        if (words == 1 && isAllDigits(word)) {
            return false; // a list number at the start of a chunk: "1. First"
        }
        return !Character.isLowerCase(next);
    }

    /** "U.S", "e.g", "Ph.D": letter groups of one or two letters joined by periods. */
    private static boolean isDottedAbbreviation(String word) {
        int group = 0;
        boolean dotted = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '.') {
                if (group == 0) {
                    return false;
                }
                dotted = true;
                group = 0;
            } else if (Character.isLetter(c) && group < 2) {
                group++;
            } else {
                return false;
            }
        }
        return dotted && group > 0;
    }

    private static boolean isAllDigits(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTerminal(char c) {
        return switch (c) {
            case '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '。', '！', '？', '｡', '؟', '।', '॥' -> true;
            default -> false;
        };
    }

    private static boolean isClause(char c) {
        return switch (c) {
            case ',', ';', ':', '—', '–', '、', '，', '；', '：' -> true;
            default -> false;
        };
    }

    /** CJK punctuation, which is not followed by a space. */
    private static boolean isFullWidthMark(char c) {
        return switch (c) {
            case '。', '！', '？', '｡', '、', '，', '；', '：' -> true;
            default -> false;
        };
    }

    private static boolean isCloser(char c) {
        return switch (c) {
            case '"', '\'', '”', '’', ')', ']', '}', '»', '›', '」', '』', '）', '】', '〕' -> true;
            default -> false;
        };
    }

    private static boolean isOpener(char c) {
        return switch (c) {
            case '"', '\'', '“', '‘', '(', '[', '{', '«', '‹', '「', '『', '（', '¿', '¡' -> true;
            default -> false;
        };
    }

    private static boolean isCjkLetter(char c) {
        return Character.isIdeographic(c) || (c >= '\u3041' && c <= '\u30ff');
    }
}
