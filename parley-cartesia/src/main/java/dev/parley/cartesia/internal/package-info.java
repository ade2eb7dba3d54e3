/** Cartesia wire messages, the shared WebSocket and error mapping; not a public API. */
@NullMarked
package dev.parley.cartesia.internal;

import org.jspecify.annotations.NullMarked;
