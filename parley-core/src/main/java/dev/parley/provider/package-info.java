/**
 * Building blocks for provider modules, which may not depend on one another: a WebSocket connection with ordered,
 * non-blocking sends, a stream event queue with a sticky end or failure, and a re-framer of PCM audio into fixed frames.
 */
@NullMarked
package dev.parley.provider;

import org.jspecify.annotations.NullMarked;
