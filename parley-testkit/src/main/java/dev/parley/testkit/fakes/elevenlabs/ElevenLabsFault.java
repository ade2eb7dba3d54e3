package dev.parley.testkit.fakes.elevenlabs;

/** A failure the fake injects once, half-way through the audio of the next generation. */
public enum ElevenLabsFault {
    NONE,
    /** Drop the TCP connection without a close frame. */
    DROP,
    /** Send nothing for the configured stall time, then carry on. */
    STALL,
    /** Send a text frame that is not JSON. */
    MALFORMED
}
