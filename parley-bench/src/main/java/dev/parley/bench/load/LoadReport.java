package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The result of a load run: the settings, the percentiles, the verdict against DESIGN.md §6's targets, and every
 * turn sample. {@link #print} writes the readable table; {@link #writeJson} the same as JSON.
 */
record LoadReport(Settings settings, String overheadFormula, Calls calls, Turns turns, Map<String, Stat> latencyMs,
                  Map<String, Stat> stagesMs, Cost cost, Targets targets, List<String> caveats,
                  List<TurnAnalysis.Sample> samples) {

    /** Targets on a 2 vCPU machine (DESIGN.md §6). */
    static final double OVERHEAD_P50_MS = 3;
    static final double OVERHEAD_P99_MS = 15;
    static final double BARGE_IN_P50_MS = 120;

    record Settings(int calls, double staggerMs, int turnsPerCall, double bargeInAfterMs, String server, String stack,
                    String vad, @Nullable Double vadMinSilenceMs, @Nullable Double sttFinalMs, @Nullable Double llmTtftMs,
                    @Nullable Double llmTokensPerSecond, @Nullable Double ttsTtfbMs, @Nullable Double ttsRealTimeFactor) {}

    record Calls(int placed, int ok, int failed, List<String> failures) {}

    record Turns(int measured, int withoutReply, int traced, int speculationHidSttFinal, int sttFinalOnPath,
                 int speculationDiscarded, int bargeInsScripted, int bargeInsMeasured) {}

    /**
     * Resource use; {@code cpuCoresPerCall} is process CPU time ÷ wall time ÷ calls, {@code heapPerCallMb} the peak
     * heap growth over the post-GC baseline ÷ calls (garbage included, so an upper bound).
     */
    record Cost(double wallSeconds, double cpuSeconds, double cpuCoresPerCall, double heapPerCallMb,
                double heapBaselineMb, double heapPeakMb, int processors, double loadAverageStart,
                double loadAverageMax, double loadAverageEnd, Stat maxSendLatenessMs) {}

    record Targets(@Nullable Boolean overheadP50, @Nullable Boolean overheadP99, @Nullable Boolean bargeInP50,
                   @Nullable Boolean all) {}

    /** Nearest-rank percentiles of a sample ({@code null} when empty). */
    record Stat(int n, @Nullable Double p50, @Nullable Double p95, @Nullable Double p99, @Nullable Double max,
                @Nullable Double mean) {
        static Stat of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return new Stat(0, null, null, null, null, null);
            }
            return new Stat(v.length, rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1],
                    round(Arrays.stream(v).average().orElse(0)));
        }

        static Stat of(List<TurnAnalysis.Sample> samples, Function<TurnAnalysis.Sample, @Nullable Double> field) {
            return of(samples.stream().map(field).filter(Objects::nonNull).toList());
        }

        private static double rank(double[] sorted, double p) {
            int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return round(sorted[Math.clamp(i, 0, sorted.length - 1)]);
        }

        private static double round(double x) {
            return Math.round(x * 10) / 10.0;
        }
    }

    static Map<String, Stat> latencies(List<TurnAnalysis.Sample> s) {
        var m = new LinkedHashMap<String, Stat>();
        m.put("turnGap", Stat.of(s, TurnAnalysis.Sample::gapMs));
        m.put("overhead", Stat.of(s, TurnAnalysis.Sample::overheadMs));
        m.put("overheadExVadWindow", Stat.of(s, TurnAnalysis.Sample::overheadExVadWindowMs));
        m.put("bargeInReaction", Stat.of(s, TurnAnalysis.Sample::bargeInReactionMs));
        return m;
    }

    static Map<String, Stat> stages(List<TurnAnalysis.Sample> s) {
        var m = new LinkedHashMap<String, Stat>();
        m.put("vadEndLag", Stat.of(s, TurnAnalysis.Sample::vadLagMs));
        m.put("speechEndToLlmRequest", Stat.of(s, TurnAnalysis.Sample::startMs));
        m.put("llmTimeToFirstToken", Stat.of(s, TurnAnalysis.Sample::ttftMs));
        m.put("firstTokenToFirstChunk", Stat.of(s, TurnAnalysis.Sample::chunkMs));
        m.put("ttsTimeToFirstByte", Stat.of(s, TurnAnalysis.Sample::ttfbMs));
        m.put("rest", Stat.of(s, TurnAnalysis.Sample::restMs));
        m.put("bargeInVadStartLag", Stat.of(s, TurnAnalysis.Sample::bargeInVadStartLagMs));
        m.put("bargeInAfterVadStart", Stat.of(s, TurnAnalysis.Sample::bargeInAfterVadMs));
        return m;
    }

    static Targets judge(Map<String, Stat> latency) {
        Stat o = latency.get("overhead");
        Stat b = latency.get("bargeInReaction");
        Boolean p50 = o.p50() == null ? null : o.p50() <= OVERHEAD_P50_MS;
        Boolean p99 = o.p99() == null ? null : o.p99() <= OVERHEAD_P99_MS;
        Boolean barge = b.p50() == null ? null : b.p50() <= BARGE_IN_P50_MS;
        Boolean all = p50 == null || p99 == null || barge == null ? null : p50 && p99 && barge;
        return new Targets(p50, p99, barge, all);
    }

    void writeJson(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    void print(PrintStream out) {
        Settings s = settings;
        out.printf(Locale.ROOT, "%nParley load benchmark: %d concurrent calls (staggered %.0f ms apart), %d caller turns"
                + " each, barge-in after %.0f ms of agent speech%n", s.calls(), s.staggerMs(), s.turnsPerCall(),
                s.bargeInAfterMs());
        out.printf(Locale.ROOT, "server: %s; stack: %s; VAD: %s%n", s.server(), s.stack(), s.vad());
        if (s.llmTtftMs() != null) {
            out.printf(Locale.ROOT, "fakes: STT final %.0f ms, LLM TTFT %.0f ms at %.0f tokens/s, TTS TTFB %.0f ms"
                    + " (%.0fx real time); VAD min silence %.0f ms%n", s.sttFinalMs(), s.llmTtftMs(),
                    s.llmTokensPerSecond(), s.ttsTtfbMs(), s.ttsRealTimeFactor(), s.vadMinSilenceMs());
        }
        out.printf(Locale.ROOT, "load average (1 min): %.2f at start, %.2f max, %.2f at end, on %d CPUs%n",
                cost.loadAverageStart(), cost.loadAverageMax(), cost.loadAverageEnd(), cost.processors());
        out.printf(Locale.ROOT, "calls: %d placed, %d ok, %d failed%n", calls.placed(), calls.ok(), calls.failed());
        calls.failures().stream().limit(10).forEach(f -> out.println("  failed: " + f));
        out.printf(Locale.ROOT, "turns: %d measured, %d without a reply; traced %d: STT final hidden by speculation %d,"
                + " on the path %d, speculation discarded %d; barge-ins %d/%d measured%n", turns.measured(),
                turns.withoutReply(), turns.traced(), turns.speculationHidSttFinal(), turns.sttFinalOnPath(),
                turns.speculationDiscarded(), turns.bargeInsMeasured(), turns.bargeInsScripted());
        out.println();
        out.printf(Locale.ROOT, "%-34s %8s %8s %8s %8s %8s %6s%n", "(ms)", "p50", "p95", "p99", "max", "mean", "n");
        latencyMs.forEach((k, v) -> row(out, k, v));
        out.println("  where the time went (traced turns; turn gap = vadEndLag + speechEndToLlmRequest + ... + rest):");
        stagesMs.forEach((k, v) -> row(out, "  " + k, v));
        row(out, "audio pacing: max send lateness", cost.maxSendLatenessMs());
        out.println();
        out.println("overhead = " + overheadFormula);
        out.printf(Locale.ROOT, "CPU: %.1f core-s over %.1f s wall = %.2f %% of a core per call; heap: %.2f MB per call"
                + " (peak growth %.0f MB over a %.0f MB baseline)%n", cost.cpuSeconds(), cost.wallSeconds(),
                cost.cpuCoresPerCall() * 100, cost.heapPerCallMb(), cost.heapPeakMb() - cost.heapBaselineMb(),
                cost.heapBaselineMb());
        out.printf(Locale.ROOT, "targets: overhead p50 <= %.0f ms: %s; overhead p99 <= %.0f ms: %s; barge-in p50 <= %.0f ms:"
                + " %s%n", OVERHEAD_P50_MS, verdict(targets.overheadP50()), OVERHEAD_P99_MS,
                verdict(targets.overheadP99()), BARGE_IN_P50_MS, verdict(targets.bargeInP50()));
        caveats.forEach(c -> out.println("note: " + c));
    }

    private static String verdict(@Nullable Boolean b) {
        return b == null ? "n/a" : b ? "met" : "MISSED";
    }

    private static void row(PrintStream out, String name, Stat v) {
        out.printf(Locale.ROOT, "%-34s %8s %8s %8s %8s %8s %6d%n", name, num(v.p50()), num(v.p95()), num(v.p99()),
                num(v.max()), num(v.mean()), v.n());
    }

    private static String num(@Nullable Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }
}
