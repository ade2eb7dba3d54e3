/**
 * Cartesia Sonic streaming speech: {@link dev.parley.cartesia.CartesiaTts} over the
 * {@code /tts/websocket} WebSocket, one shared socket per provider with one context per stream.
 * See {@code shared/protocols/cartesia-tts-ws.md}.
 */
@NullMarked
package dev.parley.cartesia;

import org.jspecify.annotations.NullMarked;
