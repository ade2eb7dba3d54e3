package dev.parley.testkit;

/** A strict JSON syntax check (RFC 8259), enough to validate tool-call arguments without a JSON library. */
final class JsonSyntax {
    private final String s;
    private int i;

    private JsonSyntax(String s) {
        this.s = s;
    }

    /** True when {@code text} is exactly one JSON object (surrounding whitespace allowed). */
    static boolean isObject(String text) {
        var p = new JsonSyntax(text);
        try {
            p.ws();
            if (p.peek() != '{') {
                return false;
            }
            p.value(0);
            p.ws();
            return p.i == text.length();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw new IllegalArgumentException("end of input");
        }
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c + " at " + i);
        }
        i++;
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void value(int depth) {
        if (depth > 256) {
            throw new IllegalArgumentException("too deep");
        }
        ws();
        switch (peek()) {
            case '{' -> {
                i++;
                ws();
                if (peek() == '}') {
                    i++;
                    return;
                }
                while (true) {
                    ws();
                    string();
                    ws();
                    expect(':');
                    value(depth + 1);
                    ws();
                    if (peek() == ',') {
                        i++;
                    } else {
                        expect('}');
                        return;
                    }
                }
            }
            case '[' -> {
                i++;
                ws();
                if (peek() == ']') {
                    i++;
                    return;
                }
                while (true) {
                    value(depth + 1);
                    ws();
                    if (peek() == ',') {
                        i++;
                    } else {
                        expect(']');
                        return;
                    }
                }
            }
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException("bad literal at " + i);
        }
        i += word.length();
    }

    private void string() {
        expect('"');
        while (true) {
            char c = peek();
            i++;
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c == '\\') {
                char e = peek();
                i++;
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(peek(), 16) < 0) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                        i++;
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
            }
        }
    }

    private void number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '0') {
            i++;
        } else {
            digits();
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            digits();
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            digits();
        }
        if (i == start) {
            throw new IllegalArgumentException("not a value at " + i);
        }
    }

    private void digits() {
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            i++;
        }
        if (i == start) {
            throw new IllegalArgumentException("digit expected at " + i);
        }
    }
}
