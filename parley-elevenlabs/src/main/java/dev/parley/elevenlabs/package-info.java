/**
 * ElevenLabs streaming speech: {@link dev.parley.elevenlabs.ElevenLabsTts} over the
 * {@code stream-input} WebSocket, one socket per stream (with a warm spare).
 * See {@code shared/protocols/elevenlabs-tts-ws.md}.
 */
@NullMarked
package dev.parley.elevenlabs;

import org.jspecify.annotations.NullMarked;
