package dev.parley.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    @SuppressWarnings("unchecked")
    void parsesTheModelTypes() {
        Object value = Json.parse(" {\"b\": [1, -2.5, 3e2, true, false, null, \"x\"], \"a\": {}, \"c\": []} ");
        assertThat(value).isInstanceOf(LinkedHashMap.class);
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("b", "a", "c");
        assertThat((List<Object>) map.get("b")).containsExactly(1L, -2.5, 300.0, true, false, Json.NULL, "x");
        assertThat(map.get("a")).isEqualTo(Map.of());
        assertThat(map.get("c")).isEqualTo(List.of());
    }

    @Test
    void integersThatFitALongAreLongs() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("1.0")).isEqualTo(1.0);
        assertThat(Json.parse("1E-3")).isEqualTo(0.001);
    }

    @Test
    void decodesEscapes() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\n\\r\\t\\b\\f\\u00e9\\u2028\\ud83d\\ude00\""))
                .isEqualTo("a\"b\\c/d\n\r\t\b\fé\u2028😀");
        assertThat(Json.parse("\"plain ünïcödé 😀\"")).isEqualTo("plain ünïcödé 😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[1,]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "1.",
            ".5", "-", "1e", "+1", "NaN", "Infinity", "tru", "nul", "\"abc", "\"a\\x\"", "\"\\u12g4\"", "\"\\u12\"",
            "\"tab\there\"", "[1] x", "{\"a\":1}{", "// c\n1", "1e999", "{\"a\":1,\"a\":2}", "[\"\\u0", "\"\\"})
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(ParleyException.class)
                .hasMessageStartingWith("malformed JSON at offset ");
    }

    @Test
    void errorsGiveTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\": [1, 2,, 3]}"))
                .hasMessageStartingWith("malformed JSON at offset 12: expected a value near ', 3]}'");
        assertThatThrownBy(() -> Json.parse("{\"k\":1,\"k\":2}")).hasMessageContaining("offset 7: duplicate key \"k\"");
    }

    @Test
    void limitsNesting() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting deeper than 64");
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        assertThatThrownBy(() -> Json.parse(deepObjects)).isInstanceOf(ParleyException.class);
    }

    @Test
    void writesCompactDeterministicJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", List.of(1L, 2.5, 1.0f, (short) 3, (byte) 4, true, Json.NULL, "s", new BigDecimal("1.50")));
        map.put("m", Map.of());
        assertThat(Json.write(map)).isEqualTo("{\"z\":1,\"a\":[1,2.5,1.0,3,4,true,null,\"s\",1.50],\"m\":{}}");
        assertThat(Json.write(0.1f)).isEqualTo("0.1");
        assertThat(Json.write(1e21)).isEqualTo("1.0E21");
        assertThat(Json.parse(Json.write(1e21))).isEqualTo(1e21);
    }

    @Test
    void escapesStrings() {
        assertThat(Json.quote("a\"b\\c\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029é😀"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u2028\\u2029é😀\"");
        // unpaired surrogates are escaped so the text stays valid UTF-8
        assertThat(Json.quote("x\ud83dy\ude00")).isEqualTo("\"x\\ud83dy\\ude00\"");
        assertThat(Json.quote("")).isEqualTo("\"\"");
        assertThat(Json.quote("/</script>")).isEqualTo("\"/</script>\"");
    }

    @Test
    void rejectsWhatItCannotWrite() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(ParleyException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Json.write(Double.POSITIVE_INFINITY)).isInstanceOf(ParleyException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("java.lang.Object");
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> Json.write(withNull)).hasMessageContaining("Json.NULL");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Json.write(cycle)).hasMessageContaining("deeper than");
    }

    @Test
    void roundTripsGeneratedValues() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            Object value = randomValue(random, 0);
            String text = Json.write(value);
            assertThat(Json.parse(text)).as(text).isEqualTo(value);
            assertThat(Json.write(Json.parse(text))).isEqualTo(text);
        }
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> random.nextLong();
            case 1 -> random.nextBoolean() ? random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20) : (double) random.nextInt();
            case 2 -> randomString(random);
            case 3 -> random.nextBoolean();
            case 4 -> Json.NULL;
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append((char) random.nextInt(0x20));
                case 1 -> sb.append("\"\\/\u2028");
                case 2 -> sb.appendCodePoint(0x1F600 + random.nextInt(50));
                case 3 -> sb.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogates
                default -> sb.append((char) (0x20 + random.nextInt(0x2000)));
            }
        }
        return sb.toString();
    }
}
