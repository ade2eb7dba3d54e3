/**
 * The runnable Parley server: configuration, the Twilio voice webhook and Media Streams WebSocket, health,
 * readiness, Prometheus metrics, admission control and graceful drain.
 */
@NullMarked
package dev.parley.server;

import org.jspecify.annotations.NullMarked;
