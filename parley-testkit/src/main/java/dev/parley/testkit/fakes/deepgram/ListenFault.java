package dev.parley.testkit.fakes.deepgram;

/** What goes wrong on a {@code /v1/listen} connection, right after its first interim result. */
public enum ListenFault {
    NONE,
    /** The connection drops (no close frame). */
    DROP,
    /** A text frame that is not JSON. */
    MALFORMED,
    /** The server sends nothing more for {@link FakeDeepgramServer.Builder#stallFor} (messages are held). */
    STALL,
    /** Close 1008 {@code DATA-0000}, as for undecodable audio. */
    DATA_ERROR
}
