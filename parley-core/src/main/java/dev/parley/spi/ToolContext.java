package dev.parley.spi;

/** What a running tool may know and do. */
public interface ToolContext {
    String callId();

    String toolCallId();

    /** A key unique to this tool call in this call (call id + tool call id): repeated writes with it must change nothing. */
    default String idempotencyKey() {
        return callId() + ":" + toolCallId();
    }

    /** True once a barge-in (or the end of the call) cancelled this tool call. */
    boolean cancelled();

    /** Speaks a short text to the caller now, while the tool runs ("one moment..."). */
    void say(String text);

    /** Asks the call to hand the caller to a human once the current reply has been spoken. */
    void transferToHuman(String reason);

    /** Asks the call to end once the current reply has been spoken. */
    void endCall(String reason);
}
