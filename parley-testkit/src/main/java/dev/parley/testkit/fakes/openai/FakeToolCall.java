package dev.parley.testkit.fakes.openai;

/**
 * A tool call the fake streams back.
 *
 * @param id the call id (styles that omit ids do not send it)
 * @param name the function name
 * @param argumentsJson the arguments as JSON text; streamed in fragments split at arbitrary points
 */
public record FakeToolCall(String id, String name, String argumentsJson) {}
