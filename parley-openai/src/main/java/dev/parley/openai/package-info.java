/**
 * OpenAI-compatible chat models (OpenAI, Groq, vLLM, Ollama, llama.cpp server): Chat Completions
 * streamed over SSE with tool calls. Start with {@link dev.parley.openai.OpenAiChat}.
 */
@NullMarked
package dev.parley.openai;

import org.jspecify.annotations.NullMarked;
