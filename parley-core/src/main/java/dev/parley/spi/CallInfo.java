package dev.parley.spi;

import java.util.Map;

/**
 * Who and what a call is. {@code from} and {@code to} are personal data: never log them at INFO.
 *
 * @param callId unique id of the call (the transport's, e.g. Twilio's CallSid, or a generated one)
 * @param from caller number or identity, "" when unknown
 * @param to dialled number or endpoint, "" when unknown
 * @param parameters custom parameters passed by the transport (Twilio {@code <Parameter>})
 */
public record CallInfo(String callId, String from, String to, Map<String, String> parameters) {
    public CallInfo {
        parameters = Map.copyOf(parameters);
    }

    public static CallInfo of(String callId) {
        return new CallInfo(callId, "", "", Map.of());
    }
}
