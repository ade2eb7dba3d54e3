package dev.parley.server;

import dev.parley.ParleyException;

/** The configuration is invalid: the message names the key (YAML path and environment variable), never a secret. */
public final class ConfigException extends ParleyException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
