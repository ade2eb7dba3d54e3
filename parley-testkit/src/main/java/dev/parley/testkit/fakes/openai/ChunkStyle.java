package dev.parley.testkit.fakes.openai;

/**
 * How the fake shapes its stream: OpenAI's own, or the differences reported for compatible servers
 * (shared/protocols/openai-chat-streaming.md §4). The non-OpenAI shapes are synthetic: each gathers
 * the quirks a client must tolerate, not a byte-exact copy of that server.
 */
public enum ChunkStyle {
    /** OpenAI: role chunk, one token per chunk, tool arguments in fragments, finish chunk, usage chunk, [DONE]. */
    OPENAI,
    /** Groq: an {@code x_groq} object on chunks, usage only in {@code x_groq.usage} of the final chunk, whole tool calls. */
    GROQ,
    /**
     * Ollama: the first token rides on the role chunk, every tool call arrives whole in one chunk,
     * {@code finish_reason} is {@code stop} even after tool calls, and no usage chunk.
     */
    OLLAMA,
    /**
     * vLLM: a leading chunk with {@code choices: []}, tool ids {@code chatcmpl-tool-…}, the last
     * token in the same chunk as {@code finish_reason}, usage when asked.
     */
    VLLM,
    /**
     * llama.cpp server: tool calls without ids or types, a {@code timings} object, usage on the last
     * chunk, and {@code finish_reason} never set: the stream simply ends with [DONE].
     */
    LLAMA_CPP
}
