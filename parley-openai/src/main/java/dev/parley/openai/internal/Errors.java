package dev.parley.openai.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.openai.OpenAiException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns error responses and error events of OpenAI-compatible servers into {@link OpenAiException}s. */
public final class Errors {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    private Errors() {}

    /** What the error body says: its message, and its code (or type) when it has one. */
    public record Detail(String message, Optional<String> code) {}

    /**
     * The exception for a non-2xx response. 408, 409, 429 and 5xx are retryable (unless the quota is
     * spent or {@code x-should-retry} says otherwise); 401 and 403 name {@code keyVariable}.
     */
    public static OpenAiException http(String provider, String keyVariable, int status, HttpHeaders headers,
            byte[] body, Instant now) {
        Detail d = detail(body);
        Optional<Duration> retryAfter = retryAfter(headers, now);
        boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
        if (d.code().filter("insufficient_quota"::equals).isPresent()) {
            retryable = false;
        }
        Optional<String> should = headers.firstValue("x-should-retry");
        if (should.isPresent()) {
            retryable = should.get().equalsIgnoreCase("true");
        }
        String said = d.message().isEmpty() ? "" : ": " + d.message();
        String message = switch (status) {
            case 401 -> provider + " rejected the API key (401): set " + keyVariable + said;
            case 403 -> provider + " refused access (403): check that the key in " + keyVariable
                    + " may use this model" + said;
            case 429 -> provider + " rate limit (429" + d.code().map(c -> " " + c).orElse("") + ")"
                    + retryAfter.map(r -> ", retry after " + r.toMillis() + " ms").orElse("") + said;
            default -> provider + " error " + status + d.code().map(c -> " " + c).orElse("") + said;
        };
        return new OpenAiException(message, retryable, OptionalInt.of(status), retryAfter, d.code(), null);
    }

    /** The exception for a {@code data: {"error":{…}}} event inside a stream. */
    public static OpenAiException streamError(String provider, JsonNode error) {
        Detail d = detail(error);
        String type = error.path("type").asText("");
        boolean retryable = type.isEmpty() || type.equals("server_error") || type.contains("overloaded");
        return new OpenAiException(provider + " failed mid-stream" + d.code().map(c -> " (" + c + ")").orElse("")
                + (d.message().isEmpty() ? "" : ": " + d.message()), retryable, OptionalInt.empty(), Optional.empty(),
                d.code(), null);
    }

    /** Parses an error body: OpenAI's {@code {"error":{…}}}, vLLM's flat {@code {"object":"error",…}}, or text. */
    public static Detail detail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode root = MAPPER.readTree(text);
            if (root != null && root.isObject()) {
                JsonNode err = root.path("error");
                return detail(err.isObject() ? err : root);
            }
        } catch (JacksonException e) {
            // not JSON: use the text itself
        }
        return new Detail(clip(text), Optional.empty());
    }

    private static Detail detail(JsonNode err) {
        String message = err.path("message").asText(err.path("error").isTextual() ? err.path("error").asText() : "");
        String code = err.path("code").isTextual() ? err.path("code").asText() : err.path("type").asText("");
        return new Detail(clip(message), code.isEmpty() ? Optional.empty() : Optional.of(code));
    }

    /**
     * The delay the server asked for: {@code retry-after-ms} (milliseconds), else {@code retry-after}
     * (seconds, fractions allowed, or an HTTP date). Empty when absent, unparsable or not positive.
     */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return positive(Duration.ofNanos((long) (Double.parseDouble(ms.get().strip()) * 1e6)));
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        Optional<String> after = headers.firstValue("retry-after");
        if (after.isEmpty()) {
            return Optional.empty();
        }
        String v = after.get().strip();
        try {
            return positive(Duration.ofNanos((long) (Double.parseDouble(v) * 1e9)));
        } catch (NumberFormatException e) {
            try {
                return positive(Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Duration> positive(Duration d) {
        return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= MAX_MESSAGE ? one : one.substring(0, MAX_MESSAGE) + "…";
    }
}
