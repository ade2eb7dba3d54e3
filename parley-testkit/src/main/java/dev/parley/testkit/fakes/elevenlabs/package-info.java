/**
 * A loopback fake of ElevenLabs' {@code stream-input} text-to-speech WebSocket: BOS/text/flush/EOS,
 * the chunk-length schedule, tone audio in proportion to the text with per-chunk character
 * alignment, the inactivity timeout, auth checks and failure injection. See
 * {@code shared/protocols/elevenlabs-tts-ws.md}.
 */
@NullMarked
package dev.parley.testkit.fakes.elevenlabs;

import org.jspecify.annotations.NullMarked;
