package dev.parley.twilio;

import dev.parley.ParleyException;

/**
 * A Media Streams message that breaks the protocol. The message names the field and the rule, never
 * the offending value: payloads, parameters and phone numbers are personal data. Not retryable: the
 * same bytes will fail the same way; the usual reaction is to close the stream.
 */
public final class TwilioProtocolException extends ParleyException {
    /** Why a message was refused. */
    public enum Reason {
        /** Not a single well-formed JSON object. */
        BAD_JSON,
        /** {@code event} is not one this direction of the protocol knows. */
        UNKNOWN_EVENT,
        /** A required field is absent. */
        MISSING_FIELD,
        /** A field is present but has the wrong type or an impossible value (e.g. a non-numeric counter). */
        INVALID_FIELD,
        /** {@code payload} is not valid standard base64. */
        BAD_BASE64,
        /** The message or its audio payload is larger than the configured limit. */
        OVERSIZED,
        /** {@code streamSid} differs from the stream's id (or the two ids inside {@code start} differ). */
        WRONG_STREAM_ID,
        /** {@code start.mediaFormat} is not μ-law, 8000 Hz, mono. */
        WRONG_MEDIA_FORMAT,
        /** A valid message at the wrong moment: media before {@code start}, a second {@code start}, anything after {@code stop}, a sequence number going backwards. */
        OUT_OF_ORDER
    }

    private final Reason reason;

    public TwilioProtocolException(Reason reason, String message) {
        super(reason + ": " + message, false, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
