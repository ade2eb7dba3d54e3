package dev.parley.testkit.fakes.deepgram;

/** What goes wrong on a {@code /v1/speak} connection, halfway through the audio of the first flush. */
public enum SpeakFault {
    NONE,
    /** The connection drops (no close frame). */
    DROP,
    /** A text frame that is not JSON. */
    MALFORMED,
    /** Audio stops for {@link FakeDeepgramServer.Builder#stallFor}, then resumes. */
    STALL
}
