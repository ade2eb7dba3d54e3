/**
 * A loopback fake of the OpenAI Chat Completions API ({@code POST /v1/chat/completions} streaming
 * over SSE, {@code GET /v1/models}) with scripted replies, pacing, failure injection and the chunk
 * shapes of compatible servers. See {@code shared/protocols/openai-chat-streaming.md}.
 */
@NullMarked
package dev.parley.testkit.fakes.openai;

import org.jspecify.annotations.NullMarked;
