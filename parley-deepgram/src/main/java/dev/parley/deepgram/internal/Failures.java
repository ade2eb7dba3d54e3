package dev.parley.deepgram.internal;

import dev.parley.deepgram.DeepgramException;
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

/** Maps handshake refusals, close frames and broken connections to {@link DeepgramException}s. */
public final class Failures {
    /** What a 401/403 on the upgrade says: the one fix the user needs. */
    public static final String BAD_KEY = "Deepgram rejected the API key: set DEEPGRAM_API_KEY";

    private Failures() {}

    /** A failed {@code buildAsync}: an HTTP status instead of 101, or no connection at all. */
    public static DeepgramException handshake(URI uri, Throwable error) {
        if (error instanceof WebSocketHandshakeException h) {
            HttpResponse<?> response = h.getResponse();
            int status = response.statusCode();
            String body = body(response.body());
            return switch (status) {
                case 401, 403 -> new DeepgramException(BAD_KEY + " (HTTP " + status + ")", false, error);
                case 429 -> {
                    Duration after = retryAfter(response.headers().firstValue("Retry-After")).orElse(null);
                    yield new DeepgramException("Deepgram refused the connection: too many requests (HTTP 429"
                            + (after == null ? "" : ", retry after " + after.toMillis() + " ms") + ")" + body,
                            true, after, error);
                }
                case 400 -> new DeepgramException("Deepgram rejected the stream parameters (HTTP 400)" + body,
                        false, error);
                default -> new DeepgramException("Deepgram refused the WebSocket upgrade (HTTP " + status + ")"
                        + body, status >= 500 || status == 408, error);
            };
        }
        return new DeepgramException("could not connect to Deepgram at " + uri.getHost() + ":"
                + (uri.getPort() < 0 ? "443" : uri.getPort()) + ": " + error, true, error);
    }

    /**
     * The server closed the socket with {@code code}/{@code reason}, not after our own
     * CloseStream/Close. Deepgram puts an error code in the reason ({@code NET-0001}: no audio for
     * 10 s; {@code NET-0000}: internal timeout; {@code DATA-0000}: undecodable audio).
     */
    public static DeepgramException closed(String what, int code, String reason) {
        if (code == 1006) { // abnormal closure: reported locally, no close frame came
            return new DeepgramException("lost the connection to Deepgram during the " + what
                    + " (closed without a close frame)", true, null);
        }
        String detail = " (close " + code + (reason.isBlank() ? "" : " " + reason) + ")";
        if (reason.startsWith("NET-0001")) {
            return new DeepgramException("Deepgram closed the " + what + ": no audio or KeepAlive for 10 s" + detail,
                    true, null);
        }
        if (reason.startsWith("DATA-")) {
            return new DeepgramException("Deepgram could not decode the audio of the " + what
                    + " (check encoding and sample rate)" + detail, false, null);
        }
        boolean retryable = code != 1002 && code != 1003 && code != 1007 && code != 1008;
        return new DeepgramException("Deepgram closed the " + what + " unexpectedly" + detail, retryable, null);
    }

    /** The connection broke without a close frame. */
    public static DeepgramException lost(String what, Throwable error) {
        return new DeepgramException("lost the connection to Deepgram during the " + what + ": " + error, true, error);
    }

    /** A message that is not the JSON the protocol promises: something between us and Deepgram is broken. */
    public static DeepgramException malformed(String what, String why) {
        return new DeepgramException("Deepgram sent a malformed message on the " + what + ": " + why, true, null);
    }

    /** Deepgram stopped answering within a deadline. */
    public static DeepgramException stalled(String what, String why) {
        return new DeepgramException("Deepgram " + what + " stalled: " + why, true, null);
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
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
