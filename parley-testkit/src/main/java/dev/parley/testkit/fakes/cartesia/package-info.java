/**
 * A loopback fake of Cartesia's {@code /tts/websocket}: contexts multiplexed on one socket,
 * continuations, flushes, cancels, word timestamps and tone audio in proportion to the text, with
 * latencies and failure injection. See {@code shared/protocols/cartesia-tts-ws.md}.
 */
@NullMarked
package dev.parley.testkit.fakes.cartesia;

import org.jspecify.annotations.NullMarked;
