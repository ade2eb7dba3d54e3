package dev.parley.spi;

/** What a model step streams back. */
public sealed interface LlmEvent {
    /** Text to speak, in pieces as the model produces them. */
    record TextDelta(String text) implements LlmEvent {}

    /** A complete tool call (fragments already assembled). */
    record ToolCallRequested(ToolCall call) implements LlmEvent {}

    /** Token usage of the step. */
    record Usage(int promptTokens, int completionTokens) implements LlmEvent {}

    /** The step ended; {@code reason} as the provider put it ("stop", "tool_calls", "length"). */
    record Finished(String reason) implements LlmEvent {}
}
