package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Server-side timestamps of one call ({@link System#nanoTime()}, the simulator's clock too), recorded by the
 * {@link Traced} provider wrappers: when the VAD declared speech over (and how much audio after the last voiced
 * frame it needed), when the recogniser was asked for and delivered finals, when each model request started and
 * its first token came, when each synthesis stream opened and delivered its first audio. Thread-safe.
 */
final class CallTrace {
    /** A VAD transition: when it was emitted, and its lag in audio time (see {@link Traced}). */
    record VadMark(long at, long audioLagNanos) {}

    /** One model request: when {@code stream} was called, the caller turns in its history, its first token. */
    static final class LlmCall {
        final long at;
        final int userTurns;
        final String history;
        volatile long firstToken;

        LlmCall(long at, int userTurns, String history) {
            this.at = at;
            this.userTurns = userTurns;
            this.history = history;
        }
    }

    /** One synthesis stream: when it was opened (with its first chunk), and its first audio frame delivered. */
    static final class TtsCall {
        final long opened;
        volatile long firstAudio;

        TtsCall(long opened) {
            this.opened = opened;
        }
    }

    private final List<VadMark> speechStarts = new ArrayList<>();
    private final List<VadMark> speechEnds = new ArrayList<>();
    private final List<Long> finalizeCalls = new ArrayList<>();
    private final List<Long> finals = new ArrayList<>();
    private final List<LlmCall> llm = new ArrayList<>();
    private final List<TtsCall> tts = new ArrayList<>();

    synchronized void speechStarted(long at, long lag) {
        speechStarts.add(new VadMark(at, lag));
    }

    synchronized void speechEnded(long at, long lag) {
        speechEnds.add(new VadMark(at, lag));
    }

    synchronized void finalizeCalled(long at) {
        finalizeCalls.add(at);
    }

    synchronized void finalDelivered(long at) {
        finals.add(at);
    }

    synchronized LlmCall llmCall(long at, int userTurns, String history) {
        var c = new LlmCall(at, userTurns, history);
        llm.add(c);
        return c;
    }

    synchronized TtsCall ttsOpened(long at) {
        var c = new TtsCall(at);
        tts.add(c);
        return c;
    }

    /** The requests that answered the caller's {@code userTurn}-th turn, in order. */
    synchronized List<LlmCall> requestsFor(int userTurn) {
        return llm.stream().filter(c -> c.userTurns == userTurn).toList();
    }

    /** The history shape of every request, in order (for a turn that cannot be matched to its request). */
    synchronized String requestHistories() {
        return String.join(" | ", llm.stream().map(c -> c.history).toList());
    }

    /** The first start of speech declared after {@code t}. */
    synchronized Optional<VadMark> speechStartAfter(long t) {
        return speechStarts.stream().filter(m -> m.at() > t).findFirst();
    }

    /** The last end of speech declared at or before {@code t}. */
    synchronized Optional<VadMark> speechEndBefore(long t) {
        VadMark found = null;
        for (VadMark m : speechEnds) {
            if (m.at() <= t) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the recogniser delivered a final in {@code (from, to]}. */
    synchronized boolean finalBetween(long from, long to) {
        return finals.stream().anyMatch(f -> f > from && f <= to);
    }

    /** The first synthesis stream opened at or after {@code t}. */
    synchronized Optional<TtsCall> ttsAfter(long t) {
        return tts.stream().filter(c -> c.opened >= t).findFirst();
    }
}
