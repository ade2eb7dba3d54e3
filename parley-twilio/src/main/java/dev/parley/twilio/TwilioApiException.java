package dev.parley.twilio;

import dev.parley.ParleyException;

/**
 * A failed Twilio REST call. Retryable for 429, 5xx and network failures. The message carries the HTTP
 * status and Twilio's numeric error code, never Twilio's error text (it can quote phone numbers).
 */
public final class TwilioApiException extends ParleyException {
    private final int httpStatus;
    private final int twilioCode;

    public TwilioApiException(String message, int httpStatus, int twilioCode, boolean retryable,
            @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, retryable, cause);
        this.httpStatus = httpStatus;
        this.twilioCode = twilioCode;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Twilio's error code from the JSON body (e.g. 20404 for "not found"), or 0 when absent. */
    public int twilioCode() {
        return twilioCode;
    }
}
