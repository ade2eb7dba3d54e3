package dev.parley.cartesia.internal;

import dev.parley.cartesia.CartesiaException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Maps refused upgrades, close frames, error messages and broken connections to {@link CartesiaException}s. */
public final class Failures {
    /** What a 401/403 on the upgrade says: the one fix the user needs. */
    public static final String BAD_KEY = "Cartesia rejected the API key: set CARTESIA_API_KEY";

    private Failures() {}

    /** A failed handshake: an HTTP status instead of 101, or no connection at all. */
    public static CartesiaException handshake(URI uri, Throwable error) {
        if (error instanceof WebSocketHandshakeException h) {
            HttpResponse<?> response = h.getResponse();
            int status = response.statusCode();
            String body = body(response.body());
            return switch (status) {
                case 401, 403 -> new CartesiaException(BAD_KEY + " (HTTP " + status + ")", false, error);
                case 429 -> {
                    Duration after = retryAfter(response.headers().firstValue("Retry-After")).orElse(null);
                    yield new CartesiaException("Cartesia refused the connection: too many requests (HTTP 429"
                            + (after == null ? "" : ", retry after " + after.toMillis() + " ms") + ")" + body,
                            true, after, error);
                }
                case 400 -> new CartesiaException("Cartesia rejected the connection parameters (HTTP 400)" + body,
                        false, error);
                default -> new CartesiaException("Cartesia refused the WebSocket upgrade (HTTP " + status + ")" + body,
                        status >= 500 || status == 408, error);
            };
        }
        return new CartesiaException("could not connect to Cartesia at " + uri.getHost() + ":"
                + (uri.getPort() < 0 ? 443 : uri.getPort()) + ": " + error, true, error);
    }

    /** The server closed the shared socket (or it broke) while contexts were live. */
    public static CartesiaException lost(int code, String reason) {
        String detail = code == 1006 ? "closed without a close frame" : "close " + code
                + (reason.isBlank() ? "" : " " + reason);
        return new CartesiaException("lost the connection to Cartesia (" + detail + ")", true, null);
    }

    public static CartesiaException lost(Throwable error) {
        return new CartesiaException("lost the connection to Cartesia: " + error, true, error);
    }

    public static CartesiaException malformed(String why) {
        return new CartesiaException("Cartesia sent a malformed message: " + why, true, null);
    }

    public static CartesiaException stalled(String why) {
        return new CartesiaException("Cartesia speech stalled: " + why, true, null);
    }

    /**
     * An {@code error} message: current ({@code title}/{@code message}/{@code error_code}) or older
     * ({@code error}) shape. 429 and 5xx are retryable.
     */
    public static CartesiaException error(int status, String code, String text) {
        boolean retryable = status == 429 || status >= 500 || status == 408;
        return new CartesiaException("Cartesia error" + (code.isEmpty() ? "" : " " + code)
                + (status > 0 ? " (status " + status + ")" : "") + ": " + text, retryable, null);
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
