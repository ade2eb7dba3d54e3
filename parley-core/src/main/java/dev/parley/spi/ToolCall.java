package dev.parley.spi;

/** A model's request to run a tool: its call id, the tool's name and the arguments as a JSON object text. */
public record ToolCall(String id, String name, String argumentsJson) {}
