package dev.parley.spi;

import java.util.List;

/**
 * One model step.
 *
 * @param callId the call, for logs and idempotency
 * @param instructions the system prompt
 * @param messages the conversation so far, oldest first
 * @param tools the tools the model may call
 */
public record LlmRequest(String callId, String instructions, List<ChatMessage> messages, List<ToolDefinition> tools) {
    public LlmRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }
}
