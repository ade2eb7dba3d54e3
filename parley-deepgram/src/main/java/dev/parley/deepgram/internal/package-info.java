/** Deepgram wire messages, the WebSocket wrapper and error mapping; not a public API. */
@NullMarked
package dev.parley.deepgram.internal;

import org.jspecify.annotations.NullMarked;
