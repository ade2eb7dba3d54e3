package dev.parley.spi;

import java.util.List;

/** One entry of the conversation history, as a language model sees it. */
public sealed interface ChatMessage {
    /** What the caller said (or keyed). */
    record User(String text) implements ChatMessage {}

    /**
     * What the agent said, and the tools it asked for in the same step. {@code interrupted} marks a
     * message cut by the caller: {@code text} then holds only the words the caller heard.
     */
    record Assistant(String text, List<ToolCall> toolCalls, boolean interrupted) implements ChatMessage {
        public Assistant {
            toolCalls = List.copyOf(toolCalls);
        }

        public static Assistant text(String text) {
            return new Assistant(text, List.of(), false);
        }
    }

    /** The result of one tool call, paired with its call by id. */
    record ToolResult(String callId, String name, String content) implements ChatMessage {}

    /** An instruction or note from the system (for example "the caller pressed 1"). */
    record System(String text) implements ChatMessage {}
}
