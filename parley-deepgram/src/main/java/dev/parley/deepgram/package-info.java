/**
 * Deepgram providers: {@link dev.parley.deepgram.DeepgramStt} (live transcription over the
 * {@code /v1/listen} WebSocket, Nova models) and {@link dev.parley.deepgram.DeepgramAuraTts}
 * (streaming Aura speech over the {@code /v1/speak} WebSocket). See
 * {@code shared/protocols/deepgram-live-stt.md} and {@code deepgram-aura-tts-ws.md}.
 */
@NullMarked
package dev.parley.deepgram;

import org.jspecify.annotations.NullMarked;
