package dev.parley.machine;

import dev.parley.CallEvent;
import java.time.Instant;

/** What the {@link CallMachine} asks the conductor to do. */
public sealed interface Effect {
    /** Drop the agent audio the far end has not played yet (Twilio {@code clear}). Always first on a barge-in. */
    record ClearPlayback() implements Effect {}

    /**
     * Start reply {@code replyId}. The model sees the history plus {@code userText} as a new user message when it is
     * not empty (a speculative reply answers a turn not yet committed). A non-empty {@code fixedText} is spoken as is,
     * without the model. A {@code gated} reply prepares audio but plays nothing and runs no tool until released.
     */
    record StartReply(int replyId, String userText, String fixedText, boolean gated, boolean interruptible) implements Effect {}

    /** Let a gated (speculative) reply play and run its tools. */
    record ReleaseReply(int replyId) implements Effect {}

    record CancelReply(int replyId, String reason) implements Effect {}

    /** Speak a short text inside a running reply now (tool filler). */
    record Say(int replyId, String text) implements Effect {}

    record StartTimer(String name, Instant at) implements Effect {}

    record CancelTimer(String name) implements Effect {}

    /** Ask the recogniser for a final transcript of what it has heard (end of caller speech). */
    record FinalizeTranscript() implements Effect {}

    record Transfer(String reason) implements Effect {}

    record HangUp(String reason) implements Effect {}

    /** Publish an event to the session's listeners. */
    record Emit(CallEvent event) implements Effect {}
}
