package dev.parley.testkit.fakes.cartesia;

/** A failure the fake injects once, half-way through the audio of the first generation that has audio. */
public enum CartesiaFault {
    NONE,
    /** Drop the TCP connection without a close frame. */
    DROP,
    /** Send nothing for this context for the configured stall time, then carry on. */
    STALL,
    /** Send a text frame that is not JSON. */
    MALFORMED,
    /** Send an {@code error} message (status 500) for the context and stop it. */
    ERROR
}
