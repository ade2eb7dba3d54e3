package dev.parley.elevenlabs.internal;

import dev.parley.elevenlabs.ElevenLabsException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Maps refused upgrades, error messages, close frames and broken connections to {@link ElevenLabsException}s. */
public final class Failures {
    /** What an auth failure says: the one fix the user needs. */
    public static final String BAD_KEY = "ElevenLabs rejected the API key: set ELEVENLABS_API_KEY";

    private Failures() {}

    public static ElevenLabsException handshake(URI uri, Throwable error) {
        if (error instanceof WebSocketHandshakeException h) {
            HttpResponse<?> response = h.getResponse();
            int status = response.statusCode();
            String body = body(response.body());
            return switch (status) {
                case 401, 403 -> new ElevenLabsException(BAD_KEY + " (HTTP " + status + ")", false, error);
                case 429 -> {
                    Duration after = retryAfter(response.headers().firstValue("Retry-After")).orElse(null);
                    yield new ElevenLabsException("ElevenLabs refused the connection: too many requests (HTTP 429"
                            + (after == null ? "" : ", retry after " + after.toMillis() + " ms") + ")" + body,
                            true, after, error);
                }
                case 400, 422 -> new ElevenLabsException("ElevenLabs rejected the stream parameters (HTTP " + status
                        + ")" + body, false, error);
                default -> new ElevenLabsException("ElevenLabs refused the WebSocket upgrade (HTTP " + status + ")"
                        + body, status >= 500 || status == 408, error);
            };
        }
        return new ElevenLabsException("could not connect to ElevenLabs at " + uri.getHost() + ":"
                + (uri.getPort() < 0 ? 443 : uri.getPort()) + ": " + error, true, error);
    }

    /**
     * The server closed the socket before {@code isFinal}. {@code lastError} is the error message
     * that came just before, if any. 1008 covers bad input, a bad key and the inactivity timeout.
     */
    public static ElevenLabsException closed(int code, String reason, @Nullable String lastError) {
        String detail = code == 1006 ? "closed without a close frame"
                : "close " + code + (reason.isBlank() ? "" : " " + reason);
        String said = lastError == null ? "" : lastError;
        String all = (said + " " + reason).toLowerCase(Locale.ROOT);
        if (all.contains("api key") || all.contains("api_key") || all.contains("unauthorized")
                || all.contains("invalid_api_key") || all.contains("authentication")) {
            return new ElevenLabsException(BAD_KEY + " (" + detail + ")", false, null);
        }
        if (code == 1008 && all.contains("timeout")) {
            return new ElevenLabsException("ElevenLabs closed the stream for inactivity (" + detail + ")", true, null);
        }
        if (code == 1006) {
            return new ElevenLabsException("lost the connection to ElevenLabs (" + detail + ")", true, null);
        }
        boolean retryable = code != 1008 && code != 1003 && code != 1007;
        return new ElevenLabsException("ElevenLabs closed the stream" + (said.isEmpty() ? "" : ": " + said)
                + " (" + detail + ")", retryable, null);
    }

    public static ElevenLabsException lost(Throwable error) {
        return new ElevenLabsException("lost the connection to ElevenLabs: " + error, true, error);
    }

    public static ElevenLabsException malformed(String why) {
        return new ElevenLabsException("ElevenLabs sent a malformed message: " + why, true, null);
    }

    public static ElevenLabsException stalled(String why) {
        return new ElevenLabsException("ElevenLabs speech stalled: " + why, true, null);
    }

    static Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String v = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String body(@Nullable Object body) {
        String text = switch (body) {
            case null -> "";
            case String s -> s;
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            default -> "";
        };
        text = text.strip();
        return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
