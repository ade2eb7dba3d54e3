package dev.parley.bench.load;

import dev.parley.testkit.TwilioCallerResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per-turn numbers of one call: turn gap, what the fakes added, orchestration overhead, and (when the call was
 * traced) where the gap went, stage by stage.
 *
 * <p><b>Overhead</b> = turn gap − (VAD min silence + LLM time to first token + first-chunk words ÷ token rate
 * + TTS time to first byte [+ STT final latency when the recogniser's final was on the critical path]). The final
 * is on the path when the reply that played was started after a final was delivered following the end of speech
 * (speculation off, not started, or discarded); otherwise the speculative reply hid it. <b>Overhead excluding the
 * VAD window</b> replaces the VAD's nominal min silence by the silence it actually needed (audio after the last
 * voiced frame until it declared the end: its 32 ms windows and the model's decay), so it is Parley's own share.
 */
final class TurnAnalysis {
    private TurnAnalysis() {}

    /**
     * One measured caller turn (times in ms; {@code null} when not measured).
     *
     * @param call          call number
     * @param turn          caller turn (0-based)
     * @param bargeIn       whether the turn talked over the agent
     * @param gapMs         last voiced caller frame sent → first agent audio received
     * @param expectedMs    the latencies the fakes were told to add on this turn's path
     * @param overheadMs    gap − expected
     * @param overheadExVadWindowMs gap − expected, with the measured VAD end lag instead of its nominal min silence
     * @param sttOnPath     whether the final transcript was on the critical path (speculation did not hide it)
     * @param speculationDiscarded whether more than one reply was started for this turn
     * @param firstChunkWords words of the reply's first chunk
     * @param vadLagMs      audio after the last voiced frame until the VAD declared end of speech
     * @param startMs       end of speech declared → model request started
     * @param ttftMs        model request → first token delivered (the fake was told {@code llmTtft})
     * @param chunkMs       first token → synthesis opened with the first chunk
     * @param ttfbMs        synthesis opened → first audio delivered (the fake was told {@code ttsTtfb})
     * @param restMs        the gap not accounted for above: ingest of caller audio, the speculative gate, the audio
     *                      path to the socket and back to the simulator
     * @param bargeInReactionMs first voiced frame of an interrupting turn → {@code clear} received
     * @param bargeInVadStartLagMs audio from that first voiced frame until the VAD declared speech started
     * @param unmatched     for a turn no model request answered by the count of caller turns in its history: the
     *                      history shapes of the call's requests ({@code U} caller, {@code A} agent, {@code a} cut)
     * @param bargeInAfterVadMs the reaction not spent in the VAD: the interruption policy's wait, the conductor,
     *                          the {@code clear} on the wire
     */
    record Sample(int call, int turn, boolean bargeIn, @Nullable Double gapMs, @Nullable Double expectedMs,
                  @Nullable Double overheadMs, @Nullable Double overheadExVadWindowMs, @Nullable Boolean sttOnPath,
                  @Nullable Boolean speculationDiscarded, int firstChunkWords, @Nullable Double vadLagMs,
                  @Nullable Double startMs, @Nullable Double ttftMs, @Nullable Double chunkMs, @Nullable Double ttfbMs,
                  @Nullable Double restMs, @Nullable Double bargeInReactionMs, @Nullable Double bargeInVadStartLagMs,
                  @Nullable Double bargeInAfterVadMs, @Nullable String unmatched) {}

    /** The turns of one call; {@code latencies} empty when the fakes' settings are unknown (a custom agent). */
    static List<Sample> analyse(int call, TwilioCallerResult result, Optional<CallTrace> trace,
                                Optional<FakeStack.Latencies> latencies) {
        var out = new ArrayList<Sample>();
        for (TwilioCallerResult.Turn t : result.turns()) {
            out.add(turn(call, t, trace, latencies));
        }
        return out;
    }

    private static Sample turn(int call, TwilioCallerResult.Turn t, Optional<CallTrace> trace,
                               Optional<FakeStack.Latencies> latencies) {
        Double gap = t.gap().map(TurnAnalysis::ms).orElse(null);
        Double reaction = t.bargeInReaction().map(TurnAnalysis::ms).orElse(null);
        int userTurn = t.index() + 1;
        int words = CallerScript.firstChunkWords(CallerScript.reply(userTurn));
        Boolean sttOnPath = null;
        Boolean discarded = null;
        Double vadLag = null;
        Double start = null;
        Double ttft = null;
        Double chunk = null;
        Double ttfb = null;
        Double rest = null;
        Double startLag = null;
        Double afterVad = null;
        String unmatched = null;
        if (trace.isPresent() && reaction != null) {
            List<CallTrace.LlmCall> before = trace.get().requestsFor(userTurn - 1);
            Optional<CallTrace.VadMark> started = before.isEmpty() ? Optional.empty()
                    : trace.get().speechStartAfter(before.getLast().at);
            if (started.isPresent()) {
                startLag = nanosMs(started.get().audioLagNanos());
                afterVad = reaction - startLag;
            }
        }
        if (trace.isPresent()) {
            List<CallTrace.LlmCall> requests = trace.get().requestsFor(userTurn);
            if (requests.isEmpty()) {
                unmatched = trace.get().requestHistories();
            } else {
                CallTrace.LlmCall played = requests.getLast();
                discarded = requests.size() > 1;
                Optional<CallTrace.VadMark> end = trace.get().speechEndBefore(played.at);
                if (end.isPresent()) {
                    long e = end.get().at();
                    sttOnPath = trace.get().finalBetween(e, played.at);
                    vadLag = nanosMs(end.get().audioLagNanos());
                    start = nanosMs(played.at - e);
                    if (played.firstToken != 0) {
                        ttft = nanosMs(played.firstToken - played.at);
                    }
                    Optional<CallTrace.TtsCall> tts = trace.get().ttsAfter(played.at);
                    if (tts.isPresent() && played.firstToken != 0) {
                        chunk = nanosMs(tts.get().opened - played.firstToken);
                        if (tts.get().firstAudio != 0) {
                            ttfb = nanosMs(tts.get().firstAudio - tts.get().opened);
                            if (gap != null) {
                                rest = gap - vadLag - nanosMs(tts.get().firstAudio - e);
                            }
                        }
                    }
                }
            }
        }
        Double expected = null;
        Double overhead = null;
        Double overheadEx = null;
        if (latencies.isPresent()) {
            FakeStack.Latencies l = latencies.get();
            double path = ms(l.llmTtft()) + ms(l.firstChunk(words)) + ms(l.ttsTtfb())
                    + (Boolean.TRUE.equals(sttOnPath) ? ms(l.sttFinal()) : 0);
            expected = ms(l.vadMinSilence()) + path;
            if (gap != null) {
                overhead = gap - expected;
                if (vadLag != null) {
                    overheadEx = gap - vadLag - path;
                }
            }
        }
        return new Sample(call, t.index(), t.interrupting(), gap, expected, overhead, overheadEx, sttOnPath, discarded,
                words, vadLag, start, ttft, chunk, ttfb, rest, reaction, startLag, afterVad, unmatched);
    }

    static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    static double nanosMs(long nanos) {
        return nanos / 1e6;
    }
}
