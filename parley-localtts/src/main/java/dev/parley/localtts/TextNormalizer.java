package dev.parley.localtts;

import java.text.Normalizer;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites text that FreeTTS reads badly; everything FreeTTS already says well ("$12.50" → "twelve
 * dollars fifty cents", "1,234", "12%", "21st", "7:45 PM", "1/2") is left alone so word timings
 * keep the caller's own tokens.
 *
 * <p>Fixed here: cents-only prices ("$0.99" is otherwise "zero dollars ninety nine cents"), one
 * decimal ("$3.5"), euro and pound amounts, "am" after a time (read as the word "am"), "&", "#12",
 * a few unit abbreviations, markdown emphasis, emoji, and accents (FreeTTS's lexicon is ASCII).
 */
final class TextNormalizer {
    private static final Pattern CENTS_ONLY = Pattern.compile("\\$0?\\.(\\d)(\\d)?\\b");
    private static final Pattern ONE_DECIMAL = Pattern.compile("(\\$\\d[\\d,]*\\.\\d)(?!\\d)");
    private static final Pattern EURO_POUND = Pattern.compile("([€£])\\s?(\\d[\\d,]*)(?:\\.(\\d{1,2}))?(?!\\d)");
    private static final Pattern AM = Pattern.compile("(\\d)\\s*(?:am|AM|a\\.m\\.?)(?![\\p{L}])");
    private static final Pattern NUMBER_SIGN = Pattern.compile("#\\s?(\\d)");
    private static final Pattern MARKDOWN = Pattern.compile("[*_`~]+|^\\s*#+\\s+|^\\s*[-•]\\s+", Pattern.MULTILINE);
    private static final Pattern UNIT = Pattern.compile("(\\d)\\s*(lbs?|oz|mins?|hrs?|kg|km)\\b\\.?");
    private static final Pattern WORDS = Pattern.compile("\\b(vs|etc)\\b\\.?");
    private static final Map<String, String> UNITS = Map.of(
            "lb", "pounds", "lbs", "pounds", "oz", "ounces", "min", "minutes", "mins", "minutes",
            "hr", "hours", "hrs", "hours", "kg", "kilograms", "km", "kilometers");

    private TextNormalizer() {}

    static String forFreeTts(String text) {
        String s = asciiFold(text);
        s = MARKDOWN.matcher(s).replaceAll(" ");
        s = replace(CENTS_ONLY, s, m -> {
            int cents = Integer.parseInt(m.group(1) + (m.group(2) == null ? "0" : m.group(2)));
            return cents + (cents == 1 ? " cent" : " cents");
        });
        s = ONE_DECIMAL.matcher(s).replaceAll("$10");
        s = replace(EURO_POUND, s, m -> {
            boolean euro = m.group(1).equals("€");
            String whole = m.group(2);
            String unit = whole.equals("1") ? (euro ? "euro" : "pound") : (euro ? "euros" : "pounds");
            String out = whole + " " + unit;
            if (m.group(3) != null) {
                int cents = Integer.parseInt(m.group(3).length() == 1 ? m.group(3) + "0" : m.group(3));
                if (cents > 0) {
                    out += " " + cents + (euro ? (cents == 1 ? " cent" : " cents") : (cents == 1 ? " penny" : " pence"));
                }
            }
            return out;
        });
        s = AM.matcher(s).replaceAll("$1 a m");
        s = NUMBER_SIGN.matcher(s).replaceAll("number $1");
        s = s.replace("&", " and ");
        s = replace(UNIT, s, m -> m.group(1) + " " + UNITS.get(m.group(2)));
        s = replace(WORDS, s, m -> m.group(1).equals("vs") ? "versus" : "et cetera");
        return s.replaceAll("[ \\t]{2,}", " ").replace(" ,", ",").strip();
    }

    /** Decomposes accents away and drops emoji and other symbols FreeTTS would spell or choke on. */
    private static String asciiFold(String text) {
        String s = text.replace('’', '\'').replace('‘', '\'').replace('“', '"').replace('”', '"')
                .replace("—", ", ").replace("–", "-").replace('…', '.');
        s = Normalizer.normalize(s, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.OTHER_SYMBOL
                    || type == Character.SURROGATE || type == Character.PRIVATE_USE
                    || type == Character.FORMAT || (type == Character.CONTROL && !Character.isWhitespace(cp))) {
                return;
            }
            out.appendCodePoint(cp);
        });
        return out.toString();
    }

    private static String replace(Pattern pattern, String text, Function<MatchResult, String> f) {
        return pattern.matcher(text).replaceAll(m -> Matcher.quoteReplacement(f.apply(m)));
    }
}
