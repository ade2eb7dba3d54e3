package dev.parley.machine;

import dev.parley.spi.ChatMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the {@link CallMachine} knows about one call. Only the machine changes it, on a copy per signal, so a
 * decision is a function of (state, signal, time).
 */
public final class CallState {
    /** Who holds the floor. */
    enum Floor { NONE, CALLER }

    /** The reply in flight (at most one). */
    static final class Live {
        final int id;
        boolean gated;
        final String userText; // the uncommitted user turn a speculative reply answers
        final boolean interruptible;
        boolean cancelled;
        String heardAtCut = "";
        boolean chunked; // wrote at least one chunk
        final int resumeOf; // history index of the interrupted message this reply completes, or -1

        Live(int id, boolean gated, String userText, boolean interruptible, int resumeOf) {
            this.id = id;
            this.gated = gated;
            this.userText = userText;
            this.interruptible = interruptible;
            this.resumeOf = resumeOf;
        }

        Live copy() {
            Live l = new Live(id, gated, userText, interruptible, resumeOf);
            l.cancelled = cancelled;
            l.heardAtCut = heardAtCut;
            l.chunked = chunked;
            return l;
        }
    }

    /** A reply to start once the live one has finished. */
    record Pending(String userText, String fixedText, boolean gated, boolean interruptible, int resumeOf) {}

    /** A barge-in that may prove false: the reply that was cut and what the caller did not hear. */
    record Cut(int replyId, String unheard, int historyIndex, boolean interruptible) {}

    final List<ChatMessage> history = new ArrayList<>();
    Floor floor = Floor.NONE;
    boolean callerSpeaking;
    Instant speechStartedAt = Instant.EPOCH;
    Instant speechEndedAt = Instant.EPOCH;
    String turnText = "";
    final List<String> interims = new ArrayList<>();
    boolean endOfSpeechSeen;
    /** A final was asked for at the end of this speech: its end-of-speech verdict is ours, not the recogniser's. */
    boolean finalizeRequested;
    double turnScore = 1.0;
    /** Caller speech over the agent, not yet judged an interruption. */
    boolean candidate;
    boolean candidateEcho;
    /** The caller's turn was committed and no new speech has started: late transcripts belong to it. */
    boolean turnClosed;
    /** When the recogniser last said something about the caller's turn (it is alive, maybe lagging). */
    Instant lastTranscriptAt = Instant.EPOCH;
    boolean speakingInterruptible = true;
    int toolsRunning;
    boolean apologized;
    int timerSeq;
    Instant candidateSince = Instant.EPOCH;
    String candidateWords = "";
    @Nullable Live live;
    @Nullable Pending pending;
    PlaybackTracker playback = new PlaybackTracker();
    int speakingReply = -1;
    /**
     * Replies whose message is already in history while their audio may still be playing: where the message is, and
     * the text before the reply's own (the heard start of a resumed reply). A barge-in truncates them.
     */
    record Playing(int replyId, int historyIndex, String prefix) {}

    final List<Playing> playing = new ArrayList<>();
    @Nullable Cut cut;
    int idlePrompts;
    boolean idleHangUp;
    String dtmf = "";
    String afterSpeech = ""; // "transfer:reason" or "hangup:reason" once the agent has finished speaking
    /** Active timers: logical name to the unique name the conductor scheduled. */
    final Map<String, String> timers = new LinkedHashMap<>();
    int nextReplyId = 1;
    int nextFiller;
    /** The live reply that is a holding filler (spoken while a late recogniser finishes the caller's turn), or -1. */
    int holdingReply = -1;
    /** The pending reply is a holding filler. */
    boolean holdingPending;
    /** A holding filler was already spoken in this turn. */
    boolean holdingSpoken;
    boolean ended;

    CallState copy() {
        CallState s = new CallState();
        s.history.addAll(history);
        s.floor = floor;
        s.callerSpeaking = callerSpeaking;
        s.speechStartedAt = speechStartedAt;
        s.speechEndedAt = speechEndedAt;
        s.turnText = turnText;
        s.interims.addAll(interims);
        s.endOfSpeechSeen = endOfSpeechSeen;
        s.finalizeRequested = finalizeRequested;
        s.turnScore = turnScore;
        s.candidate = candidate;
        s.candidateEcho = candidateEcho;
        s.turnClosed = turnClosed;
        s.lastTranscriptAt = lastTranscriptAt;
        s.speakingInterruptible = speakingInterruptible;
        s.toolsRunning = toolsRunning;
        s.apologized = apologized;
        s.timerSeq = timerSeq;
        s.candidateSince = candidateSince;
        s.candidateWords = candidateWords;
        s.live = live == null ? null : live.copy();
        s.pending = pending;
        s.playback = playback.copy();
        s.speakingReply = speakingReply;
        s.playing.addAll(playing);
        s.cut = cut;
        s.idlePrompts = idlePrompts;
        s.idleHangUp = idleHangUp;
        s.dtmf = dtmf;
        s.afterSpeech = afterSpeech;
        s.timers.putAll(timers);
        s.nextReplyId = nextReplyId;
        s.nextFiller = nextFiller;
        s.holdingReply = holdingReply;
        s.holdingPending = holdingPending;
        s.holdingSpoken = holdingSpoken;
        s.ended = ended;
        return s;
    }

    /** The conversation so far (only text the caller heard). */
    public List<ChatMessage> history() {
        return List.copyOf(history);
    }

    /** Id of the reply in flight, or -1. */
    public int liveReplyId() {
        return live == null ? -1 : live.id;
    }

    /** Whether the live reply may play audio (not gated and not cancelled). */
    public boolean liveReplyAudible() {
        return live != null && !live.gated && !live.cancelled;
    }

    /** Whether the caller holds the floor (the agent must not speak). */
    public boolean callerHoldsFloor() {
        // a holding filler may play while the caller is silent and the recogniser finishes their turn
        return !ended && floor == Floor.CALLER && (callerSpeaking || holdingReply < 0);
    }

    public boolean agentAudible() {
        return playback.audible();
    }

    public boolean ended() {
        return ended;
    }
}
