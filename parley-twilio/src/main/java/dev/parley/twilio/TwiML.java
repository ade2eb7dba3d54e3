package dev.parley.twilio;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the TwiML documents Parley answers with: connect the call to a Media Streams WebSocket,
 * refuse it when busy, say something and hang up, or dial a human. Every text and attribute is
 * XML-escaped; characters XML 1.0 cannot carry are dropped.
 *
 * <pre>{@code
 * String xml = TwiML.response()
 *     .connectStream("wss://agent.example.com/twilio/media", Map.of("callToken", token))
 *     .say("Goodbye.")
 *     .build();
 * }</pre>
 */
public final class TwiML {
    /** Documented limit: a {@code <Parameter>}'s name plus value must be under this many characters. */
    public static final int MAX_PARAMETER_CHARS = 500;

    private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private TwiML() {}

    /** A new, empty {@code <Response>}. */
    public static Builder response() {
        return new Builder();
    }

    /** {@code <Connect><Stream url><Parameter…/></Stream></Connect>}; parameters in the map's iteration order. */
    public static String connectStream(String wssUrl, Map<String, String> parameters) {
        return response().connectStream(wssUrl, parameters).build();
    }

    /** Refuses the call with a busy signal, without answering it (no charge for the call leg). */
    public static String busy() {
        return response().reject(RejectReason.BUSY).build();
    }

    /** Answers, says {@code text}, hangs up. */
    public static String sayAndHangUp(String text) {
        return response().say(text).hangup().build();
    }

    /** Transfers the call to a phone number. */
    public static String dial(String number) {
        return response().dial(dialNumber(number)).build();
    }

    /** A {@code <Dial><Number>} to configure further (caller id, timeout, action URL). */
    public static Dial dialNumber(String number) {
        return new Dial(number);
    }

    /** XML-escapes {@code text} for element content or a double-quoted attribute value. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        escapeInto(out, text);
        return out.toString();
    }

    /** Why {@code <Reject>} refuses a call: the caller hears a busy tone or a "not in service" message. */
    public enum RejectReason {
        BUSY,
        REJECTED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A {@code <Dial>} verb with one {@code <Number>}. Not thread-safe; build and use. */
    public static final class Dial {
        private final String number;
        private String callerId = "";
        private String action = "";
        private Duration timeout = Duration.ZERO;
        private Duration timeLimit = Duration.ZERO;
        private boolean answerOnBridge;

        private Dial(String number) {
            if (number.isBlank()) {
                throw new IllegalArgumentException("empty number");
            }
            this.number = number;
        }

        /** The number shown to the human (must be a number the account owns or has verified). */
        public Dial callerId(String callerId) {
            this.callerId = callerId;
            return this;
        }

        /** How long to ring before giving up (whole seconds). */
        public Dial timeout(Duration timeout) {
            this.timeout = positive(timeout);
            return this;
        }

        /** Longest duration of the bridged call (whole seconds). */
        public Dial timeLimit(Duration timeLimit) {
            this.timeLimit = positive(timeLimit);
            return this;
        }

        /** Where Twilio reports the dial outcome; must be absolute (error 15004 when updating a live call). */
        public Dial action(String absoluteUrl) {
            String lower = absoluteUrl.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
                throw new IllegalArgumentException("Dial action must be an absolute http(s) URL");
            }
            this.action = absoluteUrl;
            return this;
        }

        /** Keep the caller hearing ringing until the human answers. */
        public Dial answerOnBridge(boolean answerOnBridge) {
            this.answerOnBridge = answerOnBridge;
            return this;
        }

        private void appendTo(StringBuilder xml) {
            xml.append("<Dial");
            if (!action.isEmpty()) {
                attribute(xml, "action", action);
            }
            if (!callerId.isEmpty()) {
                attribute(xml, "callerId", callerId);
            }
            if (!timeout.isZero()) {
                attribute(xml, "timeout", Long.toString(timeout.toSeconds()));
            }
            if (!timeLimit.isZero()) {
                attribute(xml, "timeLimit", Long.toString(timeLimit.toSeconds()));
            }
            if (answerOnBridge) {
                attribute(xml, "answerOnBridge", "true");
            }
            xml.append("><Number>");
            escapeInto(xml, number);
            xml.append("</Number></Dial>");
        }

        private static Duration positive(Duration d) {
            if (d.toSeconds() < 1) {
                throw new IllegalArgumentException("must be at least one second");
            }
            return d;
        }
    }

    /** Appends verbs to a {@code <Response>} in call order. Not thread-safe; build and use. */
    public static final class Builder {
        private final StringBuilder body = new StringBuilder();

        private Builder() {}

        /**
         * Bidirectional stream: {@code <Connect><Stream url>} with {@code <Parameter>} children. The URL must be
         * {@code wss://} ({@code ws://} is allowed for loopback tests) with no query string: Twilio drops query
         * strings, pass values as parameters. Each parameter's name plus value must be under 500 characters.
         */
        public Builder connectStream(String wssUrl, Map<String, String> parameters) {
            String lower = wssUrl.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("wss://") && !lower.startsWith("ws://")) {
                throw new IllegalArgumentException("stream URL must be wss://");
            }
            if (wssUrl.indexOf('?') >= 0 || wssUrl.indexOf('#') >= 0) {
                throw new IllegalArgumentException("stream URL must not have a query string; use parameters");
            }
            body.append("<Connect><Stream");
            attribute(body, "url", wssUrl);
            if (parameters.isEmpty()) {
                body.append("/></Connect>");
                return this;
            }
            body.append('>');
            parameters.forEach((name, value) -> {
                if (name.isEmpty() || name.length() + value.length() >= MAX_PARAMETER_CHARS) {
                    throw new IllegalArgumentException("parameter name empty or name+value not under 500 characters");
                }
                body.append("<Parameter");
                attribute(body, "name", name);
                attribute(body, "value", value);
                body.append("/>");
            });
            body.append("</Stream></Connect>");
            return this;
        }

        /** Speaks {@code text} with Twilio's default voice. */
        public Builder say(String text) {
            body.append("<Say>");
            escapeInto(body, text);
            body.append("</Say>");
            return this;
        }

        /** Silence of whole seconds. */
        public Builder pause(Duration length) {
            if (length.toSeconds() < 1) {
                throw new IllegalArgumentException("pause must be at least one second");
            }
            body.append("<Pause length=\"").append(length.toSeconds()).append("\"/>");
            return this;
        }

        public Builder hangup() {
            body.append("<Hangup/>");
            return this;
        }

        public Builder reject(RejectReason reason) {
            body.append("<Reject reason=\"").append(reason.wireName()).append("\"/>");
            return this;
        }

        public Builder dial(Dial dial) {
            dial.appendTo(body);
            return this;
        }

        /** The document, with an XML declaration. */
        public String build() {
            return PROLOG + "<Response>" + body + "</Response>";
        }
    }

    private static void attribute(StringBuilder xml, String name, String value) {
        xml.append(' ').append(name).append("=\"");
        escapeInto(xml, value);
        xml.append('"');
    }

    private static void escapeInto(StringBuilder out, String text) {
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                // kept literally in text, but attribute normalisation would turn them into spaces
                case '\t', '\n', '\r' -> out.append("&#").append(cp).append(';');
                default -> {
                    boolean legal = (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
                            || (cp >= 0x10000 && cp <= 0x10FFFF);
                    if (legal) {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
    }
}
