package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {"{}", " {\"a\": 1} ", "{\"a\":[1,-2.5e3,true,null,{\"b\":\"x\\n\\u00e9\"}]}"})
    void acceptsObjects(String json) {
        assertThat(JsonSyntax.isObject(json)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"s\"", "{", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{} {}",
        "{\"a\":\"\\x\"}", "{\"a\":tru}"})
    void rejectsEverythingElse(String json) {
        assertThat(JsonSyntax.isObject(json)).isFalse();
    }
}
