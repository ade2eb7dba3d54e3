package dev.parley.examples.ordering;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Small numbers as callers say them ("a", "an", "two", "3", "a couple") and as the agent speaks them. */
final class NumberWords {
    private static final List<String> UNITS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen");
    private static final List<String> TENS = List.of("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
            "eighty", "ninety");
    private static final Map<String, Integer> EXTRA = Map.of("a", 1, "an", 1, "another", 1, "single", 1, "couple", 2,
            "pair", 2, "dozen", 12, "both", 2);

    private NumberWords() {}

    /** The number a single word means, including articles ("a" is one); empty when it is no number. */
    static OptionalInt parse(String word) {
        if (word.matches("[0-9]{1,4}")) {
            return OptionalInt.of(Integer.parseInt(word));
        }
        int unit = UNITS.indexOf(word);
        if (unit >= 0) {
            return OptionalInt.of(unit);
        }
        int tens = TENS.indexOf(word);
        if (tens >= 2) {
            return OptionalInt.of(tens * 10);
        }
        Integer extra = EXTRA.get(word);
        return extra == null ? OptionalInt.empty() : OptionalInt.of(extra);
    }

    /** Whether a word is an explicit number, not just an article. */
    static boolean isExplicit(String word) {
        return parse(word).isPresent() && !word.equals("a") && !word.equals("an") && !word.equals("another");
    }

    /**
     * Reads a number that may span words ("twenty one") starting at {@code from}.
     *
     * @return the value and how many words it used, or empty
     */
    static java.util.Optional<int[]> read(List<String> words, int from) {
        if (from >= words.size()) {
            return java.util.Optional.empty();
        }
        OptionalInt first = parse(words.get(from));
        if (first.isEmpty()) {
            return java.util.Optional.empty();
        }
        int value = first.getAsInt();
        if (TENS.indexOf(words.get(from)) >= 2 && from + 1 < words.size()) {
            int unit = UNITS.indexOf(words.get(from + 1));
            if (unit >= 1 && unit <= 9) {
                return java.util.Optional.of(new int[] {value + unit, 2});
            }
        }
        return java.util.Optional.of(new int[] {value, 1});
    }

    /** A number in words, 0 to 999 ("twenty one"); larger numbers as digits. */
    static String words(long n) {
        if (n < 0 || n > 999) {
            return Long.toString(n);
        }
        if (n < 20) {
            return UNITS.get((int) n);
        }
        if (n < 100) {
            String tens = TENS.get((int) n / 10);
            return n % 10 == 0 ? tens : tens + " " + UNITS.get((int) n % 10);
        }
        String hundreds = UNITS.get((int) n / 100) + " hundred";
        return n % 100 == 0 ? hundreds : hundreds + " " + words(n % 100);
    }

    /** Digits read one by one ("4 8 2 1"), for order numbers. */
    static String digits(String number) {
        return String.join(" ", number.chars().mapToObj(c -> UNITS.get(c - '0')).toList());
    }
}
