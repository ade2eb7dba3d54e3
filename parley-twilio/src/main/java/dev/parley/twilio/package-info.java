/**
 * Twilio transport, pure parts: the Media Streams codec and stream validation, μ-law audio mapping,
 * {@code X-Twilio-Signature} validation, TwiML, one-time call tokens and the REST call-control client.
 */
@NullMarked
package dev.parley.twilio;

import org.jspecify.annotations.NullMarked;
