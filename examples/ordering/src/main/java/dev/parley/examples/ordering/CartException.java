package dev.parley.examples.ordering;

import dev.parley.ParleyException;

/** A cart write that cannot be made: rejected by the cart's rules, or still conflicting after the retries. */
public final class CartException extends ParleyException {
    private final String code;

    public CartException(String code, String message, boolean retryable) {
        super(message, retryable, null);
        this.code = code;
    }

    /** A machine-readable reason ("order_confirmed", "line_not_found", "busy"). */
    public String code() {
        return code;
    }
}
