package dev.parley.spi;

/** A language model that streams a reply: text deltas, tool calls, usage, then the end. */
public interface LanguageModel {
    LlmStream stream(LlmRequest request);

    default String name() {
        return getClass().getSimpleName();
    }
}
