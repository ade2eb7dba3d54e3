package dev.parley.twilio;

import java.io.IOException;

/**
 * The server's side of one Media Streams WebSocket, as {@link TwilioTransport} needs it: independent of
 * the web server. Implementations adapt their server's session (Jetty, Helidon, a test fake).
 */
public interface TwilioSocket {
    /**
     * Sends one text frame and blocks until it was handed to the network. Called by one sender thread at a
     * time. Should give up (throw) when the peer does not take data for a long time.
     */
    void sendText(String text) throws IOException;

    /** Closes the connection with a WebSocket close code and a short reason; idempotent; must not block long. */
    void close(int code, String reason);
}
