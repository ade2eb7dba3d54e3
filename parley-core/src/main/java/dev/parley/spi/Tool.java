package dev.parley.spi;

/** A tool: its definition and its handler. */
public record Tool(ToolDefinition definition, ToolHandler handler) {
    public String name() {
        return definition.name();
    }
}
