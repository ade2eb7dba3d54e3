package dev.parley.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static HttpHeaders headers(Map<String, String> h) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        h.forEach((k, v) -> m.put(k, List.of(v)));
        return HttpHeaders.of(m, (a, b) -> true);
    }

    private static byte[] body(String type, String code, String message) {
        return ("{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + code
                + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unauthorisedNamesTheProviderAndTheVariable() {
        var e = Errors.http("OpenAI", "OPENAI_API_KEY", 401, headers(Map.of()),
                body("invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-***."), NOW);
        assertThat(e).hasMessageStartingWith("OpenAI rejected the API key (401): set OPENAI_API_KEY");
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(OptionalInt.of(401));
        assertThat(e.errorCode()).contains("invalid_api_key");
    }

    @Test
    void statusDecidesRetryUnlessQuotaIsSpentOrTheServerSaysOtherwise() {
        assertThat(Errors.http("X", "K", 400, headers(Map.of()), body("invalid_request_error", "bad", "no"), NOW)
                .retryable()).isFalse();
        assertThat(Errors.http("X", "K", 503, headers(Map.of()), "overloaded".getBytes(StandardCharsets.UTF_8), NOW)
                .retryable()).isTrue();
        assertThat(Errors.http("X", "K", 429, headers(Map.of()), body("insufficient_quota", "insufficient_quota", "q"),
                NOW).retryable()).isFalse();
        assertThat(Errors.http("X", "K", 500, headers(Map.of("x-should-retry", "false")), new byte[0], NOW).retryable())
                .isFalse();
        assertThat(Errors.http("X", "K", 400, headers(Map.of("x-should-retry", "true")), new byte[0], NOW).retryable())
                .isTrue();
    }

    @Test
    void retryAfterFromMillisSecondsFractionsAndDates() {
        assertThat(Errors.retryAfter(headers(Map.of("retry-after-ms", "250", "retry-after", "9")), NOW))
                .contains(Duration.ofMillis(250));
        assertThat(Errors.retryAfter(headers(Map.of("retry-after", "2")), NOW)).contains(Duration.ofSeconds(2));
        assertThat(Errors.retryAfter(headers(Map.of("retry-after", "0.5")), NOW)).contains(Duration.ofMillis(500));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(3).atZone(ZoneOffset.UTC));
        assertThat(Errors.retryAfter(headers(Map.of("retry-after", date)), NOW)).contains(Duration.ofSeconds(3));
        assertThat(Errors.retryAfter(headers(Map.of("retry-after", "soon")), NOW)).isEmpty();
        assertThat(Errors.retryAfter(headers(Map.of("retry-after", "0")), NOW)).isEmpty();
        var e = Errors.http("X", "K", 429, headers(Map.of("retry-after", "1")), body("rate_limit_error",
                "rate_limit_exceeded", "Rate limit reached"), NOW);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(e).hasMessageContaining("429 rate_limit_exceeded").hasMessageContaining("retry after 1000 ms");
    }

    @Test
    void errorBodiesOfCompatibleServersAreRead() {
        assertThat(Errors.detail("{\"object\":\"error\",\"message\":\"tools need --enable-auto-tool-choice\",\"type\":\"BadRequestError\",\"code\":400}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(new Errors.Detail("tools need --enable-auto-tool-choice",
                        Optional.of("BadRequestError")));
        assertThat(Errors.detail("upstream timed out\n".getBytes(StandardCharsets.UTF_8)).message())
                .isEqualTo("upstream timed out");
        assertThat(Errors.detail("{\"error\":\"model not loaded\"}".getBytes(StandardCharsets.UTF_8)).message())
                .isEqualTo("model not loaded");
    }
}
