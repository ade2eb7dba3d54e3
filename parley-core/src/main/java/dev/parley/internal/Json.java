package dev.parley.internal;

import dev.parley.ParleyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, strict JSON reader and writer (RFC 8259) over a plain Java model.
 *
 * <p>The model: an object is a {@code Map<String, Object>} (a {@link LinkedHashMap} keeping the
 * order of the text), an array a {@code List<Object>}, a string a {@link String}, a number a
 * {@link Long} when it is written without fraction or exponent and fits a {@code long}, otherwise a
 * {@link Double}, {@code true}/{@code false} a {@link Boolean}, and {@code null} the marker
 * {@link #NULL}: parsed values never contain Java {@code null}.
 *
 * <p>The parser rejects everything RFC 8259 does not allow (comments, trailing commas, single
 * quotes, leading zeros, {@code NaN}, raw control characters in strings, duplicate keys, text after
 * the value) with a {@link ParleyException} giving the offset. Nesting is limited to
 * {@value #MAX_DEPTH} levels; the size of the input is the caller's to check before parsing.
 */
public final class Json {
    /** The JSON {@code null} in the model. */
    public static final Null NULL = Null.INSTANCE;

    /** Maximum nesting of arrays and objects the parser accepts. */
    public static final int MAX_DEPTH = 64;

    /** Type of the {@link #NULL} marker. */
    public enum Null {
        /** The only instance, also reachable as {@link Json#NULL}. */
        INSTANCE;

        @Override
        public String toString() {
            return "null";
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /**
     * Parses one JSON value.
     *
     * @param text the complete JSON text (leading and trailing whitespace allowed)
     * @return the value as a Map, List, String, Long, Double, Boolean or {@link #NULL}
     * @throws ParleyException if the text is not valid JSON or nests deeper than {@value #MAX_DEPTH}
     */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the value");
        }
        return value;
    }

    /**
     * Writes a model value as compact JSON. Accepts what {@link #parse} returns plus any
     * {@link Collection}, {@link Number} ({@code Integer}, {@code Float}, {@code BigDecimal}...) and
     * {@link CharSequence}. Map keys must be strings; the order of a map's entries is kept, so the
     * output is deterministic for ordered maps.
     *
     * @throws ParleyException for unsupported types, non-string keys, NaN or infinite numbers
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(64);
        write(value, out, 0);
        return out.toString();
    }

    /**
     * Appends a model value as compact JSON to {@code out}.
     *
     * @throws ParleyException as {@link #write(Object)}
     */
    public static void write(Object value, StringBuilder out) {
        write(value, out, 0);
    }

    /** The JSON string literal for {@code s}, quotes included. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        quote(s, out);
        return out.toString();
    }

    /**
     * Appends the JSON string literal for {@code s} to {@code out}. Escapes the quote, the
     * backslash, control characters, U+2028/U+2029 (line separators for JavaScript) and unpaired
     * surrogates; other characters are written as they are.
     */
    public static void quote(CharSequence s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        int plain = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String esc = null;
            boolean unicode = false;
            if (c < 0x20) {
                switch (c) {
                    case '\n' -> esc = "\\n";
                    case '\r' -> esc = "\\r";
                    case '\t' -> esc = "\\t";
                    case '\b' -> esc = "\\b";
                    case '\f' -> esc = "\\f";
                    default -> unicode = true;
                }
            } else if (c == '"') {
                esc = "\\\"";
            } else if (c == '\\') {
                esc = "\\\\";
            } else if (c == '\u2028' || c == '\u2029' || c == 0x7f) {
                unicode = true;
            } else if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        ? i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
                        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                unicode = !paired;
            } else {
                continue;
            }
            if (esc == null && !unicode) {
                continue;
            }
            out.append(s, plain, i);
            if (esc != null) {
                out.append(esc);
            } else {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                        .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            }
            plain = i + 1;
        }
        out.append(s, plain, n).append('"');
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ParleyException("JSON value nests deeper than " + MAX_DEPTH + " levels");
        }
        switch (value) {
            case String s -> quote(s, out);
            case Boolean b -> out.append(b.booleanValue());
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case Short s -> out.append(s.shortValue());
            case Byte b -> out.append(b.byteValue());
            case Double d -> writeDouble(d, out);
            case Float f -> writeDouble(Double.parseDouble(Float.toString(f)), out);
            case BigInteger b -> out.append(b);
            case BigDecimal b -> out.append(b);
            case Null _ -> out.append("null");
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new ParleyException("JSON object keys must be strings, got " + typeName(e.getKey()));
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(key, out);
                    out.append(':');
                    write(requireValue(e.getValue()), out, depth + 1);
                }
                out.append('}');
            }
            case Collection<?> list -> {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(requireValue(item), out, depth + 1);
                }
                out.append(']');
            }
            case CharSequence cs -> quote(cs, out);
            case Number n -> throw new ParleyException("unsupported JSON number type " + n.getClass().getName());
            default -> throw new ParleyException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static Object requireValue(@org.jspecify.annotations.Nullable Object value) {
        if (value == null) {
            throw new ParleyException("Java null in a JSON model: use Json.NULL");
        }
        return value;
    }

    private static String typeName(@org.jspecify.annotations.Nullable Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static void writeDouble(double d, StringBuilder out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ParleyException("JSON cannot represent " + d);
        }
        out.append(d);
    }

    /** Recursive-descent parser over a String with one position. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        ParleyException error(String message) {
            String near = pos < text.length()
                    ? " near '" + text.substring(pos, Math.min(text.length(), pos + 12)) + "'"
                    : " at end of input";
            return new ParleyException("malformed JSON at offset " + pos + ": " + message + near);
        }

        void skipWhitespace() {
            int n = text.length();
            while (pos < n) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        Object value(int depth) {
            if (pos >= text.length()) {
                throw error("expected a value");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("expected a value");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("expected a string key");
                }
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object value = value(depth);
                if (map.putIfAbsent(key, value) != null) {
                    pos = keyAt;
                    throw error("duplicate key " + quote(key));
                }
                skipWhitespace();
                if (pos >= text.length()) {
                    throw error("unterminated object");
                }
                char c = text.charAt(pos++);
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                if (pos >= text.length()) {
                    throw error("unterminated array");
                }
                char c = text.charAt(pos++);
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++; // opening quote
            int start = pos;
            int n = text.length();
            // fast path: no escapes
            while (pos < n) {
                char c = text.charAt(pos);
                if (c == '"') {
                    return text.substring(start, pos++);
                }
                if (c == '\\') {
                    break;
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(pos - start + 16).append(text, start, pos);
            while (pos < n) {
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= n) {
                    break;
                }
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append(hex4(pos + 2));
                        pos += 4;
                    }
                    default -> throw error("invalid escape");
                }
                pos += 2;
            }
            pos = n;
            throw error("unterminated string");
        }

        private char hex4(int at) {
            if (at + 4 > text.length()) {
                throw error("truncated \\u escape");
            }
            int v = 0;
            for (int i = at; i < at + 4; i++) {
                char c = text.charAt(i);
                int d = c >= '0' && c <= '9' ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) {
                    throw error("invalid \\u escape");
                }
                v = v << 4 | d;
            }
            return (char) v;
        }

        private Object number() {
            int start = pos;
            int n = text.length();
            if (text.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= n || !isDigit(text.charAt(pos))) {
                throw error("expected a digit");
            }
            if (text.charAt(pos) == '0') {
                pos++;
                if (pos < n && isDigit(text.charAt(pos))) {
                    throw error("leading zero");
                }
            } else {
                while (pos < n && isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            boolean integral = true;
            if (pos < n && text.charAt(pos) == '.') {
                integral = false;
                pos++;
                requireDigits();
            }
            if (pos < n && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < n && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                requireDigits();
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // falls through to double
                }
            }
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number out of range");
            }
            return d;
        }

        private void requireDigits() {
            int from = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == from) {
                throw error("expected a digit");
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
