package dev.parley.machine;

import static dev.parley.machine.CallMachine.BARGE;
import static dev.parley.machine.CallMachine.FILLER;
import static dev.parley.machine.CallMachine.IDLE;
import static dev.parley.machine.CallMachine.RESUME_CUT_REPLY;

import dev.parley.CallEvent;
import dev.parley.CallPolicy;
import dev.parley.machine.CallState.Floor;
import dev.parley.machine.CallState.Live;
import dev.parley.machine.CallState.Pending;
import dev.parley.machine.Signal.ReplyStatus;
import dev.parley.spi.ChatMessage;
import java.time.Instant;
import java.util.List;

/**
 * The part of one {@link CallMachine} decision that concerns the agent's side: the call's start and end, idle
 * prompts, replies (start, chunks, marks, tools, filler, finish) and timers. {@link CallMachine} adds turn-taking and
 * barge-in on top. One instance per decision; it changes the state copy it was given and collects the effects.
 */
abstract class ReplySteps {
    final CallPolicy policy;
    final CallState s;
    final List<Effect> out;
    final Instant now;

    ReplySteps(CallPolicy policy, CallState s, List<Effect> out, Instant now) {
        this.policy = policy;
        this.s = s;
        this.out = out;
        this.now = now;
    }

    /** The caller takes the floor (defined with turn-taking). */
    abstract void takeFloor();

        // ---- call start, idle, end -------------------------------------------------------------------------

        void onCallStarted() {
            String greeting = policy.prompts().greeting();
            if (!greeting.isBlank()) {
                startReply("", greeting, false, true, -1);
            } else {
                armIdle();
            }
        }

        void armIdle() {
            if (s.ended || s.floor == Floor.CALLER || s.live != null || s.playback.audible() || s.candidate
                    || !s.dtmf.isEmpty()) {
                return;
            }
            timer(IDLE, now.plus(policy.prompts().idleAfter()));
        }

        void onIdle() {
            if (s.floor == Floor.CALLER || s.live != null || s.playback.audible()) {
                return;
            }
            List<String> prompts = policy.prompts().idlePrompts();
            if (s.idlePrompts < prompts.size()) {
                startReply("", prompts.get(s.idlePrompts++), false, true, -1);
            } else {
                s.afterSpeech = "hangup:no response";
                startReply("", policy.prompts().goodbye(), false, false, -1);
            }
        }

        void endCall(String reason, boolean hangUp) {
            if (s.live != null && !s.live.cancelled) {
                s.live.cancelled = true;
                out.add(new Effect.CancelReply(s.live.id, "call ended"));
            }
            for (String name : List.copyOf(s.timers.keySet())) {
                cancelTimer(name);
            }
            if (hangUp) {
                out.add(new Effect.HangUp(reason));
            }
            s.pending = null;
            s.ended = true;
            emit(new CallEvent.CallEnded(reason));
        }


        /** Whether the agent is speaking or about to: audio queued, or a released reply in flight. */
        boolean agentBusy() {
            return s.playback.audible() || (s.live != null && !s.live.cancelled && !s.live.gated);
        }
        boolean speakingInterruptible() {
            return s.live != null && !s.live.cancelled ? s.live.interruptible : s.speakingInterruptible;
        }
        String agentText() {
            return s.speakingReply >= 0 ? s.playback.spokenText(s.speakingReply) : "";
        }
        void discardSpeculative() {
            Live l = s.live;
            l.cancelled = true;
            out.add(new Effect.CancelReply(l.id, "speculation discarded"));
            emit(new CallEvent.SpeculationDiscarded(l.id));
        }
        List<String> meaningful(String text) {
            return Words.meaningful(text, policy.interruptions().backchannels());
        }

        // ---- replies ---------------------------------------------------------------------------------------

        void startReply(String userText, String fixedText, boolean gated, boolean interruptible, int resumeOf) {
            if (s.ended) {
                return;
            }
            if (s.live != null) {
                s.pending = new Pending(userText, fixedText, gated, interruptible, resumeOf);
                s.holdingPending = false;
                return;
            }
            int id = s.nextReplyId++;
            s.pending = null; // a newer reply answers the whole history
            s.live = new Live(id, gated, userText, interruptible, resumeOf);
            cancelTimer(IDLE);
            out.add(new Effect.StartReply(id, userText, fixedText, gated, interruptible));
            emit(new CallEvent.ReplyStarted(id, gated));
        }

        void onChunk(Signal.ReplyChunk c) {
            Live l = s.live;
            if (l == null || l.id != c.replyId() || l.cancelled || l.gated
                    || s.floor == Floor.CALLER && l.id != s.holdingReply) {
                return; // a reply that is no longer current: its audio was muted before the clear
            }
            Instant queuedAt = c.writing().isNegative() ? now : now.minus(c.writing());
            s.playback.add(new PlaybackTracker.Chunk(l.id, c.index(), c.text(), c.audio(), c.words(), queuedAt), queuedAt);
            s.speakingReply = l.id;
            s.speakingInterruptible = l.interruptible;
            cancelTimer(IDLE);
            emit(new CallEvent.AgentSpoke(l.id, c.text()));
        }

        void onMark(String name) {
            int dot = name.indexOf('.');
            if (!name.startsWith("r") || dot < 2) {
                return;
            }
            try {
                int id = Integer.parseInt(name.substring(1, dot));
                int index = Integer.parseInt(name.substring(dot + 1));
                if (s.playback.markPlayed(id, index, now)) {
                    maybeFinishedSpeaking();
                }
            } catch (NumberFormatException e) {
                // not one of ours: ignore
            }
        }

        void onToolStarted(Signal.ToolStarted t) {
            if (s.live == null || s.live.id != t.replyId()) {
                return;
            }
            s.toolsRunning++;
            emit(new CallEvent.ToolCalled(t.replyId(), t.name()));
            if (!s.timers.containsKey(FILLER)) {
                timer(FILLER, now.plus(policy.prompts().fillerAfter()));
            }
        }

        void onToolFinished(Signal.ToolFinished t) {
            emit(new CallEvent.ToolFinished(t.replyId(), t.name(), t.outcome().name()));
            if (s.live == null || s.live.id != t.replyId()) {
                return;
            }
            s.toolsRunning = Math.max(0, s.toolsRunning - 1);
            if (s.toolsRunning == 0) {
                cancelTimer(FILLER);
            }
        }

        void onFiller() {
            if (s.live == null || s.live.cancelled || s.live.gated || s.floor == Floor.CALLER || s.toolsRunning == 0) {
                return;
            }
            List<String> fillers = policy.prompts().fillers();
            out.add(new Effect.Say(s.live.id, fillers.get(s.nextFiller++ % fillers.size())));
        }

        void onReplyFinished(Signal.ReplyFinished r) {
            Live l = s.live;
            if (l == null || l.id != r.replyId()) {
                return;
            }
            s.live = null;
            s.toolsRunning = 0;
            cancelTimer(FILLER);
            s.history.addAll(r.steps());
            String spoken = l.cancelled ? l.heardAtCut : s.playback.spokenText(l.id);
            int index = -1;
            int resumeOf = l.resumeOf;
            String prefix = "";
            if (resumeOf >= 0 && resumeOf < s.history.size() && s.history.get(resumeOf) instanceof ChatMessage.Assistant a) {
                s.history.set(resumeOf, new ChatMessage.Assistant(Words.join(a.text(), spoken), a.toolCalls(), l.cancelled));
                index = resumeOf;
                prefix = a.text();
            } else if (!spoken.isBlank()) {
                s.history.add(new ChatMessage.Assistant(spoken, List.of(), l.cancelled));
                index = s.history.size() - 1;
            }
            if (l.cancelled) {
                if (s.cut != null && s.cut.replyId() == l.id) {
                    s.cut = new CallState.Cut(l.id, s.cut.unheard(), index, s.cut.interruptible());
                }
                if (s.pending != null && s.pending.resumeOf() == RESUME_CUT_REPLY) {
                    Pending p = s.pending;
                    s.pending = new Pending(p.userText(), p.fixedText(), p.gated(), p.interruptible(), index);
                }
            } else if (index >= 0 && !s.playback.fullyPlayed(l.id)) {
                s.playing.add(new CallState.Playing(l.id, index, prefix));
            }
            emit(new CallEvent.ReplyFinished(l.id, r.status() == ReplyStatus.COMPLETED && l.cancelled
                    ? "CANCELLED" : r.status().name()));
            if (r.status() == ReplyStatus.FAILED && !l.cancelled && !l.gated && spoken.isBlank() && s.pending == null
                    && !s.apologized && s.floor != Floor.CALLER) {
                s.apologized = true;
                startReply("", "Sorry, I'm having trouble right now. Could you say that again?", false, true, -1);
                return;
            }
            if (r.status() == ReplyStatus.COMPLETED && !l.cancelled) {
                s.apologized = false;
            }
            if (l.id == s.holdingReply && (l.cancelled || s.playback.fullyPlayed(l.id))) {
                s.holdingReply = -1; // (a holding filler still playing keeps the caller's floor open until played)
            }
            if (s.pending != null && (s.floor != Floor.CALLER || s.holdingPending && !s.callerSpeaking)) {
                startPending();
            } else {
                maybeFinishedSpeaking();
            }
        }

        /** Starts the reply that waited for the previous one (not while the caller holds the floor). */
        void startPending() {
            Pending p = s.pending;
            boolean holding = s.holdingPending;
            s.pending = null;
            s.holdingPending = false;
            startReply(p.userText(), p.fixedText(), p.gated(), p.interruptible(), p.resumeOf());
            if (holding && s.live != null) {
                s.holdingReply = s.live.id;
            }
        }

        /** When the agent has nothing left to say: run a requested transfer or hang-up, or wait for the caller. */
        void maybeFinishedSpeaking() {
            if (s.ended || s.playback.audible() || (s.live != null && !s.live.cancelled && !s.live.gated)) {
                return;
            }
            if (s.live == null) {
                s.holdingReply = -1;
            }
            if (s.speakingReply >= 0) {
                emit(new CallEvent.AgentFinishedSpeaking(s.speakingReply));
                s.speakingReply = -1;
                s.playing.clear();
                s.playback.forgetPlayed();
            }
            if (s.candidate) {
                // the caller started over the end of the agent's speech: now it is simply their turn
                s.candidate = false;
                cancelTimer(BARGE);
                String words = s.turnText;
                takeFloor();
                s.turnText = words;
                return;
            }
            if (s.live == null && !s.afterSpeech.isEmpty() && s.floor != Floor.CALLER) {
                String action = s.afterSpeech;
                s.afterSpeech = "";
                String reason = action.substring(action.indexOf(':') + 1);
                if (action.startsWith("transfer:")) {
                    out.add(new Effect.Transfer(reason));
                    emit(new CallEvent.Transferred(reason));
                    endCall("transferred", false);
                } else {
                    endCall(reason, true);
                }
                return;
            }
            armIdle();
        }

        void timer(String name, Instant at) {
            String unique = name + "#" + s.timerSeq++;
            String replaced = s.timers.put(name, unique);
            if (replaced != null) {
                out.add(new Effect.CancelTimer(replaced));
            }
            out.add(new Effect.StartTimer(unique, at));
        }

        void cancelTimer(String name) {
            String unique = s.timers.remove(name);
            if (unique != null) {
                out.add(new Effect.CancelTimer(unique));
            }
        }

        void emit(CallEvent event) {
            out.add(new Effect.Emit(event));
        }
}
