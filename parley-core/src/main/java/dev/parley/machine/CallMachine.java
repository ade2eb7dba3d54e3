package dev.parley.machine;

import dev.parley.CallEvent;
import dev.parley.CallPolicy;
import dev.parley.machine.CallState.Floor;
import dev.parley.machine.CallState.Live;
import dev.parley.machine.CallState.Pending;
import dev.parley.machine.Signal.CallControl;
import dev.parley.spi.ChatMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every decision of a call: a pure function of (state, signal, time) to (next state, effects). No I/O, no clock
 * reads, no threads — so a journal of signals replays to the same effects, and simulations run thousands of calls a
 * second.
 */
public final class CallMachine {
    static final String IDLE = "idle";
    static final String EOT = "end-of-turn";
    static final String FINAL_WAIT = "final-wait";
    static final String BARGE = "barge-in";
    static final String FALSE_INTERRUPTION = "false-interruption";
    static final String FILLER = "filler";
    static final String DTMF = "dtmf";
    static final String LATE_FINAL = "late-final";
    /** Pending.resumeOf value meaning "the message of the cut reply, once it has finished". */
    static final int RESUME_CUT_REPLY = -2;
    /** An interim this recent shows a recogniser that is alive but behind. */
    static final Duration LAGGING = Duration.ofMillis(700);

    private final CallPolicy policy;

    public CallMachine(CallPolicy policy) {
        this.policy = policy;
    }

    public CallPolicy policy() {
        return policy;
    }

    public CallState initial() {
        return new CallState();
    }

    /** The decision for one signal: the next state and the effects to apply, in order. */
    public record Decision(CallState state, List<Effect> effects) {}

    public Decision on(CallState state, Signal signal, Instant now) {
        CallState next = state.copy();
        List<Effect> effects = new ArrayList<>(4);
        new Step(next, effects, now).apply(signal);
        return new Decision(next, List.copyOf(effects));
    }

    /** The mark name a reply writes after chunk {@code index}. */
    public static String markName(int replyId, int index) {
        return "r" + replyId + "." + index;
    }

    private final class Step extends ReplySteps {
        Step(CallState s, List<Effect> out, Instant now) {
            super(CallMachine.this.policy, s, out, now);
        }

        void apply(Signal signal) {
            if (s.ended && !(signal instanceof Signal.ReplyFinished)) {
                return;
            }
            switch (signal) {
                case Signal.CallStarted c -> onCallStarted();
                case Signal.CallerSpeechStarted c -> onSpeechStarted(before(c.confirmedAfter()));
                case Signal.CallerSpeechEnded c -> onSpeechEnded(before(c.confirmedAfter()));
                case Signal.TranscriptInterim t -> onInterim(t.text());
                case Signal.TranscriptFinal f -> onFinal(f.text(), f.endOfSpeech());
                case Signal.TurnScore t -> {
                    s.turnScore = t.probability();
                    tryEndTurn();
                }
                case Signal.DtmfPressed d -> onDtmf(d.digit());
                case Signal.MarkPlayed m -> onMark(m.name());
                case Signal.CallerHungUp h -> endCall("caller hung up", false);
                case Signal.ProviderNote n -> emit(new CallEvent.ProviderNote(n.kind(), n.provider(), n.detail()));
                case Signal.TimerFired t -> onTimer(t.name());
                case Signal.ReplyChunk c -> onChunk(c);
                case Signal.ToolStarted t -> onToolStarted(t);
                case Signal.ToolFinished t -> onToolFinished(t);
                case Signal.CallControlRequested r -> {
                    if (s.live != null && s.live.id == r.replyId()) {
                        s.afterSpeech = (r.action() == CallControl.TRANSFER ? "transfer:" : "hangup:") + r.reason();
                    }
                }
                case Signal.ReplyFinished r -> onReplyFinished(r);
            }
        }

        // ---- caller speech and turn-taking -----------------------------------------------------------------

        /** The instant {@code ago} before now (a VAD's confirmation delay), never before the last speech change. */
        private Instant before(java.time.Duration ago) {
            Instant t = ago.isNegative() ? now : now.minus(ago);
            Instant floor = s.speechStartedAt.isAfter(s.speechEndedAt) ? s.speechStartedAt : s.speechEndedAt;
            return t.isBefore(floor) ? floor : t;
        }

        private void onSpeechStarted(Instant onset) {
            s.callerSpeaking = true;
            s.turnClosed = false;
            s.finalizeRequested = false;
            s.speechStartedAt = onset;
            s.idlePrompts = 0;
            cancelTimer(IDLE);
            cancelTimer(EOT);
            cancelTimer(FINAL_WAIT);
            emit(new CallEvent.CallerStartedSpeaking());
            cancelTimer(LATE_FINAL);
            if (s.floor == Floor.CALLER) {
                s.interims.clear();
                s.endOfSpeechSeen = false;
                if (s.live != null && s.live.gated && !s.live.cancelled) {
                    discardSpeculative();
                }
                stopHolding();
                return;
            }
            if (agentBusy()) {
                startCandidate(onset);
            } else {
                takeFloor();
            }
        }

        private void onSpeechEnded(Instant silenceStart) {
            s.callerSpeaking = false;
            s.speechEndedAt = silenceStart;
            emit(new CallEvent.CallerStoppedSpeaking());
            if (s.candidate) {
                s.candidate = false;
                cancelTimer(BARGE);
                s.turnText = "";
                s.interims.clear();
                emit(new CallEvent.InterruptionIgnored(s.candidateWords.isBlank() ? "too short" : "backchannel"));
                maybeFinishedSpeaking();
                return;
            }
            if (s.floor != Floor.CALLER) {
                return;
            }
            out.add(new Effect.FinalizeTranscript());
            s.finalizeRequested = true;
            if (s.cut != null && s.turnText.isBlank()) {
                timer(FALSE_INTERRUPTION, now.plus(policy.interruptions().falseInterruptionTimeout()));
            }
            maybeSpeculate();
            if (!s.holdingSpoken) {
                timer(LATE_FINAL, silenceStart.plus(policy.prompts().fillerAfter()));
            }
            Instant silenceEnd = silenceStart.plus(policy.turns().silence());
            timer(EOT, silenceEnd.isAfter(now) ? silenceEnd : now);
            timer(FINAL_WAIT, silenceStart.plus(policy.turns().finalTimeout()));
            tryEndTurn();
        }

        @Override
        void takeFloor() {
            s.holdingSpoken = false;
            s.floor = Floor.CALLER;
            s.interims.clear();
            s.endOfSpeechSeen = false;
            s.turnScore = 1.0;
        }

        private void onInterim(String text) {
            emit(new CallEvent.Transcript(text, false));
            if (s.candidate) {
                s.candidateWords = Words.join(s.turnText, text);
                evaluateCandidate();
                return;
            }
            if (s.floor == Floor.CALLER) {
                s.lastTranscriptAt = now;
                s.interims.add(text);
                if (s.interims.size() > 8) {
                    s.interims.removeFirst();
                }
                if (s.cut != null && !meaningful(Words.join(s.turnText, text)).isEmpty()) {
                    dropCut();
                }
                return;
            }
            lateTranscript(text, false);
        }

        private void onFinal(String text, boolean endOfSpeech) {
            emit(new CallEvent.Transcript(text, true));
            if (s.candidate) {
                s.turnText = Words.join(s.turnText, text);
                s.candidateWords = s.turnText;
                evaluateCandidate();
                return;
            }
            if (s.floor == Floor.CALLER) {
                s.turnText = Words.join(s.turnText, text);
                s.interims.clear();
                s.endOfSpeechSeen |= endOfSpeech;
                if (s.cut != null && !s.turnText.isBlank()) {
                    if (meaningful(s.turnText).isEmpty()) {
                        resumeCut();
                        return;
                    }
                    dropCut();
                }
                tryEndTurn();
                return;
            }
            lateTranscript(text, true);
        }

        /**
         * A transcript outside the caller's turn: the late rest of a turn already committed (ignored: it was answered,
         * and taking it for new speech would barge in and repeat the order), or speech the VAD missed.
         */
        private void lateTranscript(String text, boolean isFinal) {
            List<String> words = meaningful(text);
            if (words.isEmpty() || s.turnClosed) {
                return;
            }
            if (agentBusy()) {
                boolean enough = words.size() >= Math.max(1, policy.interruptions().minWords());
                if (!enough || !speakingInterruptible() || Words.echoOf(text, agentText())) {
                    return;
                }
                interrupt();
            } else {
                takeFloor();
                s.speechEndedAt = now;
                timer(EOT, now.plus(policy.turns().silence()));
                timer(FINAL_WAIT, now.plus(policy.turns().finalTimeout()));
            }
            if (isFinal) {
                s.turnText = Words.join(s.turnText, text);
            } else {
                s.interims.add(text);
            }
            tryEndTurn();
        }

        private void maybeSpeculate() {
            if (!policy.turns().speculative() || s.live != null) {
                return;
            }
            String text = stableTranscript();
            if (!text.isBlank()) {
                startReply(text, "", true, true, -1);
            }
        }

        /** The turn's transcript if stable: all finals, plus the last interim when the last N interims agree. */
        private String stableTranscript() {
            int n = policy.turns().stableInterims();
            if (s.interims.isEmpty()) {
                return s.turnText;
            }
            if (s.interims.size() < n) {
                return "";
            }
            String last = s.interims.getLast();
            for (int i = s.interims.size() - n; i < s.interims.size(); i++) {
                if (!Words.sameWords(s.interims.get(i), last)) {
                    return "";
                }
            }
            return Words.join(s.turnText, last);
        }

        private void tryEndTurn() {
            if (s.floor != Floor.CALLER || s.callerSpeaking || s.turnText.isBlank()) {
                return;
            }
            // the turn ends after the policy's silence, or sooner when the recogniser's own endpointing says so (a
            // final we forced at the VAD's end of speech says nothing about the turn: pauses in a sentence are longer)
            Instant silenceEnd = s.speechEndedAt.plus(policy.turns().silence());
            boolean recogniserEndpointed = s.endOfSpeechSeen && !s.finalizeRequested;
            if (!recogniserEndpointed && now.isBefore(silenceEnd)) {
                return;
            }
            Instant holdEnd = silenceEnd.plus(policy.turns().eotHold());
            if (s.turnScore < policy.turns().eotThreshold() && now.isBefore(holdEnd)) {
                timer(EOT, holdEnd);
                return;
            }
            commitTurn(s.turnText);
        }

        private void onFinalWait() {
            if (s.floor != Floor.CALLER || s.callerSpeaking) {
                return;
            }
            // a recogniser still sending interims is alive but lagging (a loaded machine): wait for its final,
            // up to four times the timeout, rather than answer half a sentence
            Duration sinceTranscript = Duration.between(s.lastTranscriptAt, now);
            Duration sinceSpeech = Duration.between(s.speechEndedAt, now);
            if (sinceTranscript.compareTo(LAGGING) < 0
                    && sinceSpeech.compareTo(policy.turns().finalTimeout().multipliedBy(4)) < 0) {
                timer(FINAL_WAIT, now.plus(LAGGING));
                return;
            }
            String text = s.turnText.isBlank() && !s.interims.isEmpty() ? s.interims.getLast() : s.turnText;
            if (!text.isBlank()) {
                commitTurn(text);
            } else if (s.cut != null) {
                resumeCut();
            } else {
                s.floor = Floor.NONE;
                if (s.live != null && s.live.gated && !s.live.cancelled) {
                    discardSpeculative();
                }
                if (s.pending != null && s.live == null) {
                    startPending(); // the caller's noise did not replace the turn that is still to be answered
                } else {
                    armIdle();
                }
            }
        }

        private void commitTurn(String text) {
            cancelTimer(LATE_FINAL);
            cancelTimer(EOT);
            cancelTimer(FINAL_WAIT);
            if (s.cut != null) {
                dropCut();
            }
            String turn = text.trim();
            s.turnClosed = true;
            s.history.add(new ChatMessage.User(turn));
            emit(new CallEvent.UserTurn(turn));
            s.floor = Floor.NONE;
            s.turnText = "";
            s.interims.clear();
            s.endOfSpeechSeen = false;
            s.turnScore = 1.0;
            s.idlePrompts = 0;
            if (s.live != null && s.live.gated && !s.live.cancelled) {
                if (Words.sameWords(s.live.userText, turn)) {
                    s.live.gated = false;
                    out.add(new Effect.ReleaseReply(s.live.id));
                    emit(new CallEvent.SpeculationKept(s.live.id));
                    return;
                }
                discardSpeculative();
            }
            startReply("", "", false, true, -1);
        }


        /**
         * The caller stopped speaking a while ago and the recogniser has not finished their turn (it is lagging, or
         * failing over): say a short filler rather than leave them in silence, once per turn.
         */
        private void onLateFinal() {
            if (s.floor != Floor.CALLER || s.callerSpeaking || !s.turnText.isBlank() || s.holdingSpoken
                    || s.interims.isEmpty() || s.cut != null) {
                return; // no words heard (noise: nothing to hold for), or a cut reply may resume
            }
            s.holdingSpoken = true;
            if (s.live != null && s.live.gated && !s.live.cancelled) {
                discardSpeculative(); // made again from the final transcript
            }
            List<String> fillers = policy.prompts().fillers();
            String filler = fillers.get(s.nextFiller++ % fillers.size());
            if (s.live != null) {
                s.pending = new CallState.Pending("", filler, false, true, -1);
                s.holdingPending = true;
            } else {
                startReply("", filler, false, true, -1);
                s.holdingReply = s.live.id;
            }
        }

        /** The caller speaks again over a holding filler (still generating, or its audio still playing): silence it. */
        private void stopHolding() {
            if (s.holdingPending) {
                s.pending = null;
                s.holdingPending = false;
            }
            int id = s.holdingReply;
            if (id < 0) {
                return;
            }
            s.holdingReply = -1;
            boolean live = s.live != null && s.live.id == id && !s.live.cancelled;
            if (!live && s.playback.fullyPlayed(id)) {
                return;
            }
            out.add(0, new Effect.ClearPlayback());
            PlaybackTracker.Cut c = s.playback.cutAll(now).getOrDefault(id, new PlaybackTracker.Cut(id, "", ""));
            if (live) {
                s.live.cancelled = true;
                s.live.heardAtCut = c.heard();
                out.add(new Effect.CancelReply(id, "the caller speaks"));
            }
            for (CallState.Playing p : s.playing) {
                if (p.replyId() == id && p.historyIndex() < s.history.size()
                        && s.history.get(p.historyIndex()) instanceof ChatMessage.Assistant a) {
                    s.history.set(p.historyIndex(), new ChatMessage.Assistant(c.heard(), a.toolCalls(), true));
                }
            }
            emit(new CallEvent.AgentInterrupted(id, c.heard()));
            s.speakingReply = -1;
            s.playing.clear();
            s.playback.forgetPlayed();
        }

        // ---- barge-in -------------------------------------------------------------------------------------




        private void startCandidate(Instant onset) {
            if (!speakingInterruptible()) {
                emit(new CallEvent.InterruptionIgnored("reply is not interruptible"));
                return;
            }
            s.candidate = true;
            s.candidateSince = onset; // minimum speech counts from the onset, not from the VAD's confirmation
            s.candidateWords = "";
            s.turnText = "";
            s.candidateEcho = s.playback.audible()
                    && onset.isBefore(s.playback.speakingSince().plus(policy.interruptions().echoGuard()));
            evaluateCandidate();
        }

        private void evaluateCandidate() {
            if (!s.candidate) {
                return;
            }
            var rules = policy.interruptions();
            List<String> words = meaningful(s.candidateWords);
            if (s.candidateEcho) {
                // speech that began as the agent started talking may be its own echo: only real words count
                if (words.size() >= Math.max(1, rules.minWords()) && !Words.echoOf(s.candidateWords, agentText())) {
                    interrupt();
                }
                return;
            }
            Instant due = s.candidateSince.plus(rules.minSpeech());
            if (now.isBefore(due)) {
                timer(BARGE, due);
                return;
            }
            if (words.size() < rules.minWords()) {
                return;
            }
            if (!s.candidateWords.isBlank() && words.isEmpty()) {
                return; // only a backchannel so far
            }
            interrupt();
        }

        private void interrupt() {
            out.add(0, new Effect.ClearPlayback()); // first of the whole decision: silence starts at once
            cancelTimer(BARGE);
            Live live = s.live != null && !s.live.cancelled ? s.live : null;
            java.util.Map<Integer, PlaybackTracker.Cut> cuts = s.playback.cutAll(now);
            int historyIndex = -1;
            int cutReply = -1;
            String heard = "";
            String unheard = "";
            // replies whose audio was playing and whose message is already in history: keep only what was heard
            for (CallState.Playing p : s.playing) {
                PlaybackTracker.Cut c = cuts.get(p.replyId());
                if (c == null || p.historyIndex() >= s.history.size()
                        || !(s.history.get(p.historyIndex()) instanceof ChatMessage.Assistant a)) {
                    continue;
                }
                String kept = Words.join(p.prefix(), c.heard());
                s.history.set(p.historyIndex(), new ChatMessage.Assistant(kept, a.toolCalls(), true));
                emit(new CallEvent.AgentInterrupted(p.replyId(), c.heard()));
                if (!c.unheard().isBlank() || cutReply < 0) {
                    historyIndex = p.historyIndex();
                    cutReply = p.replyId();
                    heard = c.heard();
                    unheard = c.unheard();
                }
            }
            s.playing.clear();
            if (live != null) {
                PlaybackTracker.Cut c = cuts.getOrDefault(live.id, new PlaybackTracker.Cut(live.id, "", ""));
                live.cancelled = true;
                live.heardAtCut = c.heard();
                out.add(new Effect.CancelReply(live.id, "barge-in"));
                emit(new CallEvent.AgentInterrupted(live.id, c.heard()));
                if (cutReply < 0 || !c.unheard().isBlank()) {
                    cutReply = live.id;
                    heard = c.heard();
                    unheard = c.unheard();
                    historyIndex = -1;
                }
            }
            boolean interruptible = speakingInterruptible();
            s.candidate = false;
            s.speakingReply = -1;
            s.playback.forgetPlayed();
            takeFloor();
            if (s.cut != null) {
                dropCut();
            }
            if (cutReply >= 0 && policy.interruptions().resumeAfterFalseInterruption() && !unheard.isBlank()) {
                s.cut = new CallState.Cut(cutReply, unheard, historyIndex, interruptible);
                timer(FALSE_INTERRUPTION, now.plus(policy.interruptions().falseInterruptionTimeout()));
            }
        }

        private void onFalseInterruption() {
            if (s.cut == null || s.callerSpeaking) {
                return; // still talking: decided when the words or the silence come
            }
            String said = Words.join(s.turnText, s.interims.isEmpty() ? "" : s.interims.getLast());
            if (meaningful(said).isEmpty()) {
                resumeCut();
            } else {
                dropCut();
            }
        }

        private void resumeCut() {
            CallState.Cut c = s.cut;
            dropCut();
            cancelTimer(EOT);
            cancelTimer(FINAL_WAIT);
            s.floor = Floor.NONE;
            s.turnText = "";
            s.interims.clear();
            if (s.live != null && s.live.gated && !s.live.cancelled) {
                discardSpeculative();
            }
            emit(new CallEvent.InterruptionResumed(c.replyId(), c.unheard()));
            int resumeOf = c.historyIndex() >= 0 ? c.historyIndex() : RESUME_CUT_REPLY;
            startReply("", c.unheard(), false, c.interruptible(), resumeOf);
        }

        private void dropCut() {
            s.cut = null;
            cancelTimer(FALSE_INTERRUPTION);
        }


        // ---- DTMF -----------------------------------------------------------------------------------------

        private void onDtmf(String digit) {
            emit(new CallEvent.DtmfReceived(digit));
            s.idlePrompts = 0;
            cancelTimer(IDLE);
            if (agentBusy() && speakingInterruptible()) {
                interrupt();
            }
            s.dtmf = s.dtmf + digit;
            if (digit.equals("#")) {
                commitDtmf();
            } else {
                timer(DTMF, now.plus(policy.prompts().dtmfTimeout()));
            }
        }

        private void commitDtmf() {
            cancelTimer(DTMF);
            String keys = String.join(" ", s.dtmf.split(""));
            s.dtmf = "";
            if (s.cut != null) {
                dropCut();
            }
            if (s.live != null && s.live.gated && !s.live.cancelled) {
                discardSpeculative();
            }
            s.floor = Floor.NONE;
            s.turnText = "";
            s.interims.clear();
            cancelTimer(EOT);
            cancelTimer(FINAL_WAIT);
            s.history.add(new ChatMessage.User("Caller pressed keys: " + keys));
            emit(new CallEvent.UserTurn("Caller pressed keys: " + keys));
            startReply("", "", false, true, -1);
        }

        // ---- timers and events -----------------------------------------------------------------------------

        private void onTimer(String fired) {
            String name = null;
            for (Map.Entry<String, String> e : s.timers.entrySet()) {
                if (e.getValue().equals(fired)) {
                    name = e.getKey();
                }
            }
            if (name == null) {
                return; // cancelled or replaced before it fired
            }
            s.timers.remove(name);
            switch (name) {
                case IDLE -> onIdle();
                case EOT -> tryEndTurn();
                case FINAL_WAIT -> onFinalWait();
                case BARGE -> evaluateCandidate();
                case FALSE_INTERRUPTION -> onFalseInterruption();
                case FILLER -> onFiller();
                case DTMF -> commitDtmf();
                case LATE_FINAL -> onLateFinal();
                default -> { }
            }
        }

    }
}
