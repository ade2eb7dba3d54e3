package dev.parley.testkit;

import dev.parley.CallEvent;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Signal;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import dev.parley.spi.WordTiming;
import dev.parley.testkit.Simulation.Invariant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The invariants of a call, checked after every decision of the machine against what the world really did. One
 * instance follows one call. {@link Heard} is the ground truth: how much of each chunk the caller really heard.
 */
final class SimulationInvariants {
    /** How much of chunk {@code index} of a reply had really been played to the caller at {@code at}. */
    @FunctionalInterface
    interface Heard {
        Duration played(int replyId, int index, Instant at);
    }

    record Violation(Invariant invariant, String message) {}

    /** A run of words in a history message that came from one reply. */
    private record Segment(int replyId, int words) {}

    private final Heard heard;
    private final Set<Integer> live = new LinkedHashSet<>();
    /** A chunk the machine took as spoken, with its words. */
    private record Chunk(Signal.ReplyChunk signal, List<String> words) {}

    private final Map<Integer, List<Chunk>> accepted = new HashMap<>();
    /** Replies whose audio a clear cut short: the most words of each the caller can have heard. */
    private final Map<Integer, Integer> truncated = new HashMap<>();
    private List<ChatMessage> history = List.of();
    private final List<List<Segment>> segments = new ArrayList<>();

    private final boolean lenientClearOrder;

    SimulationInvariants(Heard heard) {
        this(heard, false);
    }

    /** With {@code lenientClearOrder}, call events may precede the ClearPlayback of a barge-in. */
    SimulationInvariants(Heard heard, boolean lenientClearOrder) {
        this.heard = heard;
        this.lenientClearOrder = lenientClearOrder;
    }

    Optional<Violation> check(Signal signal, CallState before, CallState after, List<Effect> effects, Instant now) {
        try {
            checkOrThrow(signal, before, after, effects, now);
            return Optional.empty();
        } catch (Broken b) {
            return Optional.of(new Violation(b.invariant, b.getMessage()));
        }
    }

    private static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Invariant invariant;

        Broken(Invariant invariant, String message) {
            super(message, null, false, false);
            this.invariant = invariant;
        }
    }

    private static void require(boolean ok, Invariant invariant, Supplier<String> message) {
        if (!ok) {
            throw new Broken(invariant, message.get());
        }
    }

    private void checkOrThrow(Signal signal, CallState before, CallState after, List<Effect> effects, Instant now) {
        boolean replyEnded = false;
        if (signal instanceof Signal.ReplyFinished r) {
            replyEnded = live.remove(r.replyId());
        }
        if (signal instanceof Signal.ReplyChunk c
                && effects.contains(new Effect.Emit(new CallEvent.AgentSpoke(c.replyId(), c.text())))) {
            accepted.computeIfAbsent(c.replyId(), k -> new ArrayList<>()).add(new Chunk(c, SimulationText.tokens(c.text())));
        }
        // 5. nothing is started or said once the call has ended
        boolean ended = before.ended();
        for (Effect e : effects) {
            if (ended) {
                require(!(e instanceof Effect.StartReply || e instanceof Effect.ReleaseReply
                        || e instanceof Effect.Say), Invariant.NOTHING_AFTER_END, () -> e + " after the call ended");
            }
            if (e instanceof Effect.Emit(CallEvent.CallEnded c)) {
                ended = true;
            }
        }
        // 1. at most one live reply
        for (Effect e : effects) {
            if (e instanceof Effect.StartReply s) {
                require(live.isEmpty(), Invariant.ONE_LIVE_REPLY, () ->
                        "StartReply(" + s.replyId() + ") while reply " + live + " has not finished");
                live.add(s.replyId());
            }
        }
        int machineLive = after.liveReplyId();
        require(machineLive == -1 || live.contains(machineLive), Invariant.ONE_LIVE_REPLY, () ->
                "the machine holds reply " + machineLive + " live, but it is not running (running: " + live + ")");
        // 4. never over a caller who holds the floor; a barge-in clears first
        boolean barged = effects.stream().anyMatch(e -> e instanceof Effect.Emit(CallEvent.AgentInterrupted a));
        require(!barged || (lenientClearOrder ? firstNonEmit(effects) : effects.getFirst()) instanceof Effect.ClearPlayback, Invariant.CALLER_FLOOR, () ->
                "an interruption whose first effect is not ClearPlayback: " + effects);
        if (after.callerHoldsFloor()) {
            require(effects.stream().noneMatch(e -> e instanceof Effect.ReleaseReply), Invariant.CALLER_FLOOR, () ->
                    "ReleaseReply while the caller holds the floor: " + effects);
            require(!after.liveReplyAudible(), Invariant.CALLER_FLOOR, () ->
                    "reply " + machineLive + " is live and audible while the caller holds the floor");
        }
        // 2. history holds only heard text
        boolean cleared = false;
        for (Effect e : effects) {
            if (e instanceof Effect.ClearPlayback) {
                cleared = true;
                for (var entry : accepted.entrySet()) {
                    int bound = heardBound(entry.getKey(), now);
                    if (bound < tokenCount(entry.getValue())) {
                        truncated.merge(entry.getKey(), bound, Math::min);
                    }
                }
            } else if (e instanceof Effect.Emit(CallEvent.AgentInterrupted a)) {
                List<String> h = SimulationText.tokens(a.heardText());
                require(isPrefix(h, spokenTokens(a.replyId())), Invariant.HEARD_TEXT_ONLY, () -> "barge-in on reply "
                        + a.replyId() + " reports heard \"" + a.heardText() + "\", not a prefix of what it spoke");
                int bound = heardBound(a.replyId(), now);
                require(h.size() <= bound, Invariant.HEARD_TEXT_ONLY, () -> "barge-in on reply " + a.replyId()
                        + " reports " + h.size() + " words heard but at most " + bound + " had been played");
            }
        }
        List<ChatMessage> h = after.history();
        boolean changed = diffHistory(signal, before, h, effects);
        if (changed || cleared) {
            checkBounds(h);
        }
        // 3. every tool call answered once no reply is live
        if ((changed || replyEnded) && live.isEmpty() && machineLive == -1) {
            checkToolResults(h);
        }
    }

    private boolean diffHistory(Signal signal, CallState before, List<ChatMessage> h, List<Effect> effects) {
        List<ChatMessage> old = history;
        require(h.size() >= old.size(), Invariant.HEARD_TEXT_ONLY, () -> "history shrank from " + old.size() + " to "
                + h.size() + " messages");
        boolean changed = false;
        int finishing = signal instanceof Signal.ReplyFinished r && before.liveReplyId() == r.replyId()
                ? r.replyId() : -1;
        List<ChatMessage> steps = signal instanceof Signal.ReplyFinished r ? r.steps() : List.of();
        java.util.Map<Integer, CallEvent.AgentInterrupted> cuts = new java.util.HashMap<>();
        for (Effect e : effects) {
            if (e instanceof Effect.Emit(CallEvent.AgentInterrupted a)) {
                cuts.put(a.replyId(), a); // a barge-in may cut several replies (one still playing, one live)
            }
        }
        for (int i = 0; i < h.size(); i++) {
            ChatMessage m = h.get(i);
            boolean appended = i >= old.size();
            if (!appended && (old.get(i) == m || old.get(i).equals(m))) {
                continue;
            }
            changed = true;
            List<Segment> segs = List.of();
            if (m instanceof ChatMessage.Assistant a && !isStep(m, steps)) {
                List<Segment> was = i < segments.size() ? segments.get(i) : List.of();
                CallEvent.@Nullable AgentInterrupted cut = was.isEmpty() ? null : cuts.get(was.getLast().replyId());
                segs = appended ? appendedMessage(i, a, finishing)
                        : replacedMessage(i, a, old.get(i), finishing, cut);
            }
            if (appended) {
                segments.add(segs);
            } else {
                segments.set(i, segs);
            }
        }
        history = h;
        return changed;
    }

    private List<Segment> appendedMessage(int i, ChatMessage.Assistant a, int finishing) {
        List<String> t = SimulationText.tokens(a.text());
        if (t.isEmpty()) {
            return List.of();
        }
        require(finishing >= 0, Invariant.HEARD_TEXT_ONLY, () -> "assistant message " + i + " \"" + a.text()
                + "\" appeared outside the end of a reply");
        checkSpoken(i, finishing, t, a.interrupted());
        return List.of(new Segment(finishing, t.size()));
    }

    private List<Segment> replacedMessage(int i, ChatMessage.Assistant a, ChatMessage was, int finishing,
                                          CallEvent.@Nullable AgentInterrupted cut) {
        require(was instanceof ChatMessage.Assistant, Invariant.HEARD_TEXT_ONLY, () ->
                "message " + i + " " + was + " was replaced by " + a);
        List<String> oldTokens = SimulationText.tokens(((ChatMessage.Assistant) was).text());
        List<String> t = SimulationText.tokens(a.text());
        List<Segment> oldSegs = segments.get(i);
        List<Segment> segs = new ArrayList<>(oldSegs);
        if (finishing >= 0) { // a resumed reply completes the message it continues
            require(isPrefix(oldTokens, t), Invariant.HEARD_TEXT_ONLY, () -> "resumed message " + i + " \"" + a.text()
                    + "\" does not start with the words already heard \"" + String.join(" ", oldTokens) + "\"");
            List<String> rest = t.subList(oldTokens.size(), t.size());
            checkSpoken(i, finishing, rest, a.interrupted());
            segs.add(new Segment(finishing, rest.size()));
            return segs;
        }
        require(cut != null, Invariant.HEARD_TEXT_ONLY, () -> "assistant message " + i + " changed from \""
                + String.join(" ", oldTokens) + "\" to \"" + a.text() + "\" outside a reply's end or a barge-in");
        require(a.interrupted(), Invariant.HEARD_TEXT_ONLY, () -> "message " + i + " cut by a barge-in is not marked interrupted");
        require(!oldSegs.isEmpty() && oldSegs.getLast().replyId() == cut.replyId(), Invariant.HEARD_TEXT_ONLY, () ->
                "the barge-in on reply " + cut.replyId() + " cut message " + i + ", which holds words of " + oldSegs);
        segs.removeLast();
        int earlier = 0;
        for (Segment s : segs) {
            earlier += s.words();
        }
        List<String> form = new ArrayList<>(oldTokens.subList(0, Math.min(earlier, oldTokens.size())));
        form.addAll(spokenTokens(cut.replyId()));
        require(isPrefix(t, form), Invariant.HEARD_TEXT_ONLY, () -> "message " + i + " cut to \"" + a.text()
                + "\", which is not a word-prefix of what was said: \"" + String.join(" ", form) + "\"");
        segs.add(new Segment(cut.replyId(), t.size() - earlier));
        return segs;
    }

    /** The words a reply added to history: all it spoke, or (cut) a prefix of it. */
    private void checkSpoken(int i, int replyId, List<String> words, boolean interrupted) {
        List<String> spoken = spokenTokens(replyId);
        if (interrupted) {
            require(isPrefix(words, spoken), Invariant.HEARD_TEXT_ONLY, () -> "interrupted message " + i + " \""
                    + String.join(" ", words) + "\" is not a word-prefix of what reply " + replyId + " spoke: \""
                    + String.join(" ", spoken) + "\"");
        } else {
            require(words.equals(spoken), Invariant.HEARD_TEXT_ONLY, () -> "message " + i + " \"" + String.join(" ", words)
                    + "\" differs from what reply " + replyId + " spoke: \"" + String.join(" ", spoken) + "\"");
        }
    }

    private void checkBounds(List<ChatMessage> h) {
        for (int i = 0; i < segments.size(); i++) {
            for (Segment s : segments.get(i)) {
                Integer bound = truncated.get(s.replyId());
                int index = i;
                require(bound == null || s.words() <= bound, Invariant.HEARD_TEXT_ONLY, () -> "message " + index + " \""
                        + ((ChatMessage.Assistant) h.get(index)).text() + "\" holds " + s.words() + " words of reply "
                        + s.replyId() + ", but its audio was cleared after at most " + bound + " words had played");
            }
        }
    }

    private static void checkToolResults(List<ChatMessage> h) {
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i) instanceof ChatMessage.Assistant a) {
                for (ToolCall call : a.toolCalls()) {
                    int results = 0;
                    for (int j = i + 1; j < h.size(); j++) {
                        if (h.get(j) instanceof ChatMessage.ToolResult r && r.callId().equals(call.id())) {
                            results++;
                        }
                    }
                    int index = i;
                    int n = results;
                    require(n == 1, Invariant.TOOL_CALLS_ANSWERED, () -> "tool call " + call.id() + " (message "
                            + index + ") has " + n + " results in history, not one");
                }
            }
        }
    }

    private static Effect firstNonEmit(List<Effect> effects) {
        for (Effect e : effects) {
            if (!(e instanceof Effect.Emit)) {
                return e;
            }
        }
        return effects.getFirst();
    }

    private static boolean isStep(ChatMessage m, List<ChatMessage> steps) {
        for (ChatMessage s : steps) {
            if (s == m) {
                return true;
            }
        }
        return false;
    }

    private List<String> spokenTokens(int replyId) {
        List<String> out = new ArrayList<>();
        for (Chunk c : accepted.getOrDefault(replyId, List.of())) {
            out.addAll(c.words());
        }
        return out;
    }

    private static int tokenCount(List<Chunk> chunks) {
        int n = 0;
        for (Chunk c : chunks) {
            n += c.words().size();
        }
        return n;
    }

    /** The most words of a reply the caller can have heard by {@code at}: whole chunks played, then part of one. */
    int heardBound(int replyId, Instant at) {
        int n = 0;
        for (Chunk c : accepted.getOrDefault(replyId, List.of())) {
            Duration played = heard.played(replyId, c.signal().index(), at);
            if (played.compareTo(c.signal().audio()) >= 0) {
                n += c.words().size();
                continue;
            }
            return n + partial(c.signal(), c.words(), played);
        }
        return n;
    }

    /** Words of a chunk heard after {@code played} of its audio: by word timings, else at most proportionally. */
    private static int partial(Signal.ReplyChunk c, List<String> words, Duration played) {
        if (!c.words().isEmpty()) {
            int n = 0;
            for (WordTiming w : c.words()) {
                if (w.end().compareTo(played) > 0) {
                    break;
                }
                n++;
            }
            return Math.min(n, words.size());
        }
        double chars = (double) played.toNanos() / c.audio().toNanos() * c.text().trim().length();
        int pos = 0;
        int n = 0;
        for (String w : words) {
            pos += w.length();
            if (pos > chars) {
                break;
            }
            n++;
            pos++;
        }
        return n;
    }

    private static boolean isPrefix(List<String> prefix, List<String> of) {
        return prefix.size() <= of.size() && of.subList(0, prefix.size()).equals(prefix);
    }
}
