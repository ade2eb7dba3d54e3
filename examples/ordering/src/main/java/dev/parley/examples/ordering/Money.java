package dev.parley.examples.ordering;

/** Money as whole cents: formatted for JSON ("12.99") and spoken ("12 dollars and 99 cents"). */
final class Money {
    private Money() {}

    static String format(long cents) {
        return (cents < 0 ? "-" : "") + Math.abs(cents) / 100 + "." + String.format("%02d", Math.abs(cents) % 100);
    }

    /** Parses "12.99", "$12.99" or "12" into cents. */
    static long parse(String amount) {
        String plain = amount.trim().replace("$", "");
        int dot = plain.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(plain) * 100;
        }
        String cents = (plain.substring(dot + 1) + "00").substring(0, 2);
        return Long.parseLong(plain.substring(0, dot)) * 100 + Long.parseLong(cents);
    }

    static String speak(long cents) {
        long dollars = cents / 100;
        long rest = cents % 100;
        String d = NumberWords.words(dollars) + (dollars == 1 ? " dollar" : " dollars");
        if (rest == 0) {
            return d;
        }
        String c = NumberWords.words(rest) + (rest == 1 ? " cent" : " cents");
        return dollars == 0 ? c : d + " and " + c;
    }
}
