/** ElevenLabs wire messages, the WebSocket wrapper, alignment-to-words and error mapping; not a public API. */
@NullMarked
package dev.parley.elevenlabs.internal;

import org.jspecify.annotations.NullMarked;
