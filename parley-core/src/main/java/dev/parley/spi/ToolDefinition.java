package dev.parley.spi;

import java.time.Duration;

/**
 * A tool as the model sees it, and how Parley runs it.
 *
 * @param name function name (letters, digits, '_' and '-')
 * @param description what it does, for the model
 * @param parametersSchema JSON Schema of the arguments object, as JSON text
 * @param policy what a barge-in does to a running call
 * @param timeout how long a call may run before it is answered with a timeout error
 */
public record ToolDefinition(String name, String description, String parametersSchema, ToolPolicy policy, Duration timeout) {
    public ToolDefinition {
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("invalid tool name: " + name);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tool timeout must be positive: " + name);
        }
    }
}
