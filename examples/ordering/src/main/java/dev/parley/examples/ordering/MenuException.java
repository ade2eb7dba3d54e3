package dev.parley.examples.ordering;

import dev.parley.ParleyException;

/** The menu file is missing, malformed or inconsistent. */
public final class MenuException extends ParleyException {
    public MenuException(String message) {
        super(message);
    }

    public MenuException(String message, Throwable cause) {
        super(message, cause);
    }
}
