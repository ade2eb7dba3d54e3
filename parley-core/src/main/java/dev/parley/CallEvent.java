package dev.parley;

/**
 * What happens in a call, as a session's listeners see it. Transcript texts are personal data:
 * listeners must not log them at INFO.
 */
public sealed interface CallEvent {
    record CallerStartedSpeaking() implements CallEvent {}

    record CallerStoppedSpeaking() implements CallEvent {}

    /** A recognition result; {@code complete} for a final one. */
    record Transcript(String text, boolean complete) implements CallEvent {}

    /** The caller's turn was committed to the conversation. */
    record UserTurn(String text) implements CallEvent {}

    record ReplyStarted(int replyId, boolean speculative) implements CallEvent {}

    /** A speculative reply was confirmed by the final transcript and released to play. */
    record SpeculationKept(int replyId) implements CallEvent {}

    /** A speculative reply was thrown away (the caller went on, or the final transcript differed). */
    record SpeculationDiscarded(int replyId) implements CallEvent {}

    /** The agent started speaking a chunk of a reply. */
    record AgentSpoke(int replyId, String text) implements CallEvent {}

    /** The caller barged in; {@code heardText} is what they heard of the reply. */
    record AgentInterrupted(int replyId, String heardText) implements CallEvent {}

    /** A barge-in turned out to be no real turn (no words, or a backchannel); the cut reply resumes. */
    record InterruptionResumed(int replyId, String remainingText) implements CallEvent {}

    /** A barge-in attempt was ignored (echo guard, too short, backchannel, or an uninterruptible reply). */
    record InterruptionIgnored(String why) implements CallEvent {}

    record ReplyFinished(int replyId, String outcome) implements CallEvent {}

    /** Everything the agent said has been played to the caller. */
    record AgentFinishedSpeaking(int replyId) implements CallEvent {}

    record ToolCalled(int replyId, String name) implements CallEvent {}

    record ToolFinished(int replyId, String name, String outcome) implements CallEvent {}

    record DtmfReceived(String digit) implements CallEvent {}

    record Transferred(String reason) implements CallEvent {}

    record CallEnded(String reason) implements CallEvent {}

    /** A provider error, retry, stall, failover or routing decision (see {@link ProviderEvent}). */
    record ProviderNote(String kind, String provider, String detail) implements CallEvent {}
}
