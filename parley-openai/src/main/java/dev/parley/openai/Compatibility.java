package dev.parley.openai;

/**
 * Request-side differences between OpenAI-compatible servers. The response side needs no setting:
 * the parser accepts every documented variant (shared/protocols/openai-chat-streaming.md §4).
 *
 * @param streamUsage send {@code stream_options: {include_usage: true}}; a server that rejects it
 *     (400 naming {@code stream_options}) is asked again without it, and the model stops sending it
 * @param legacyMaxTokens send the token limit as {@code max_tokens} instead of
 *     {@code max_completion_tokens}
 * @param systemNotesAsUser send system notes after the first message as user messages marked
 *     {@code [system]}, for chat templates that allow a system message only at the start
 */
public record Compatibility(boolean streamUsage, boolean legacyMaxTokens, boolean systemNotesAsUser) {
    /** api.openai.com. */
    public static Compatibility openAi() {
        return new Compatibility(true, false, false);
    }

    /** Groq ({@code https://api.groq.com/openai/v1}); usage arrives in {@code x_groq.usage}. */
    public static Compatibility groq() {
        return new Compatibility(true, false, false);
    }

    /** vLLM's OpenAI server; tools need {@code --enable-auto-tool-choice --tool-call-parser …}. */
    public static Compatibility vllm() {
        return new Compatibility(true, true, false);
    }

    /** Ollama's {@code /v1} endpoint. */
    public static Compatibility ollama() {
        return new Compatibility(true, true, false);
    }

    /** llama.cpp {@code llama-server} (tools need {@code --jinja}). */
    public static Compatibility llamaCpp() {
        return new Compatibility(true, true, true);
    }

    public Compatibility withStreamUsage(boolean on) {
        return new Compatibility(on, legacyMaxTokens, systemNotesAsUser);
    }

    public Compatibility withLegacyMaxTokens(boolean on) {
        return new Compatibility(streamUsage, on, systemNotesAsUser);
    }

    public Compatibility withSystemNotesAsUser(boolean on) {
        return new Compatibility(streamUsage, legacyMaxTokens, on);
    }
}
