package dev.parley.spi;

/** Runs one tool call; returns the result for the model (JSON or plain text). */
@FunctionalInterface
public interface ToolHandler {
    /**
     * @param argumentsJson the arguments object as JSON text
     * @param context the call's context: cancellation, idempotency key, {@code say}
     * @return the result text given back to the model
     * @throws Exception any failure, reported to the model as an error result
     */
    String invoke(String argumentsJson, ToolContext context) throws Exception;
}
