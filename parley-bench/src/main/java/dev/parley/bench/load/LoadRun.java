package dev.parley.bench.load;

import dev.parley.server.AgentFactory;
import dev.parley.server.ParleyConfig;
import dev.parley.server.ParleyServer;
import dev.parley.testkit.TwilioCallerResult;
import dev.parley.testkit.TwilioCallerSimulator;
import dev.parley.testkit.TwilioCallerStart;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** One run of {@link LoadBench}: warm-up, the staggered calls, the measurements, the report. */
final class LoadRun {
    private static final String PUBLIC_URL = "https://parley-bench.invalid";
    private static final Duration HANG_UP_AFTER_LAST_TURN = Duration.ofMillis(3000);

    /** Where the calls go: the server's base URL, its auth token, and the public URL it signs against. */
    record Target(URI base, String authToken, URI publicUrl) {}

    private record Placed(int index, String callSid, Optional<TwilioCallerResult> result, String failure) {}

    private final LoadBench o;
    private final CallerScript script;
    private final Optional<FakeStack> fakes;
    private final Optional<FakeStack.Latencies> latencies;
    private final String server;
    private final String stack;
    private final String vad;

    LoadRun(LoadBench options, CallerScript script, Optional<FakeStack> fakes, Optional<FakeStack.Latencies> latencies,
            String server, String stack, String vad) {
        this.o = options;
        this.script = script;
        this.fakes = fakes;
        this.latencies = latencies;
        this.server = server;
        this.stack = stack;
        this.vad = vad;
    }

    /** Starts a server on a random loopback port with {@code agents}, runs, and stops it. */
    static LoadReport inProcess(LoadBench options, CallerScript script, AgentFactory agents, Optional<FakeStack> fakes,
                                Optional<FakeStack.Latencies> latencies, String stack, String vad) {
        String token = HexFormat.of().formatHex(randomBytes(16));
        var env = Map.of("PARLEY_PORT", "0", "PARLEY_HOST", "127.0.0.1", "PARLEY_PUBLIC_URL", PUBLIC_URL,
                "TWILIO_AUTH_TOKEN", token, "PARLEY_MAX_CALLS", String.valueOf(options.calls + 10),
                "PARLEY_DRAIN_SECONDS", "5");
        ParleyServer parley = ParleyServer.create(ParleyConfig.load(Optional.empty(), env), agents).start();
        try {
            var target = new Target(URI.create("http://127.0.0.1:" + parley.port()), token, URI.create(PUBLIC_URL));
            return new LoadRun(options, script, fakes, latencies, "in-process on 127.0.0.1:" + parley.port(), stack, vad)
                    .run(target);
        } finally {
            parley.stop();
        }
    }

    LoadReport run(Target target) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            for (int i = 0; i < o.warmup; i++) {
                Placed w = place(-1 - i, target, http);
                o.out().printf(Locale.ROOT, "warm-up call %d: %s%n", i + 1, w.failure().isEmpty() ? "ok" : w.failure());
            }
            List<Placed> placed = new ArrayList<>();
            Resources resources = Resources.start();
            Resources.Usage usage;
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Placed>> futures = new ArrayList<>();
                long begin = System.nanoTime();
                for (int i = 0; i < o.calls; i++) {
                    long due = begin + o.stagger.toNanos() * i;
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait); // pacing the staggered starts
                    }
                    int index = i;
                    futures.add(callers.submit(() -> place(index, target, http)));
                }
                long deadline = System.nanoTime() + o.maxCall.toNanos() + Duration.ofSeconds(30).toNanos();
                for (int i = 0; i < futures.size(); i++) {
                    placed.add(await(i, futures.get(i), deadline));
                }
                usage = resources.stop();
                callers.shutdownNow();
            } finally {
                resources.close();
            }
            return report(placed, usage);
        }
    }

    private Placed await(int index, Future<Placed> f, long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Placed(index, "", Optional.empty(), "did not end before the run's deadline");
        } catch (ExecutionException e) {
            return new Placed(index, "", Optional.empty(), "simulator failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Placed(index, "", Optional.empty(), "interrupted");
        }
    }

    private Placed place(int index, Target target, HttpClient http) {
        String sid = "CA" + HexFormat.of().formatHex(randomBytes(16));
        var b = TwilioCallerSimulator.builder(target.base(), target.authToken())
                .callSid(sid)
                .httpClient(http)
                .record(false)
                .voicedThreshold(CallerScript.VOICED_DBFS)
                .maxDuration(o.maxCall)
                .publicWebhookUrl(URI.create(target.publicUrl().toString().replaceAll("/+$", "") + "/twilio/voice"))
                .streamAddress(URI.create(target.base().toString().replaceAll("/+$", "")
                        .replaceFirst("^http", "ws") + "/twilio/media"));
        List<CallerScript.Turn> turns = script.turns();
        for (int i = 0; i < turns.size(); i++) {
            var audio = turns.get(i).audio();
            if (i == 0) {
                b.say(audio, TwilioCallerStart.at(Duration.ofMillis(300)));
            } else if (i == CallerScript.BARGE_IN_TURN) {
                b.say(audio, TwilioCallerStart.bargeIn(o.bargeInAfter));
            } else {
                b.say(audio);
            }
        }
        // the last reply is measured by its first audio: hang up once it has had time to start, not after it all
        b.hangUp(TwilioCallerStart.after(HANG_UP_AFTER_LAST_TURN));
        TwilioCallerResult r = b.build().run();
        return new Placed(index, sid, Optional.of(r), failure(r, turns.size()));
    }

    /** Why a call counts as failed, or "" when it did everything the script asked. */
    private static String failure(TwilioCallerResult r, int expectedTurns) {
        if (r.outcome() != TwilioCallerResult.Outcome.CONNECTED) {
            return r.outcome() + " " + r.detail();
        }
        if (!r.errors().isEmpty()) {
            return r.errors().getFirst();
        }
        if (r.turns().size() < expectedTurns) {
            return "only " + r.turns().size() + " of " + expectedTurns + " caller turns happened";
        }
        for (TwilioCallerResult.Turn t : r.turns()) {
            if (t.gap().isEmpty()) {
                return "no agent audio after caller turn " + t.index();
            }
        }
        if (expectedTurns > CallerScript.BARGE_IN_TURN
                && r.turns().get(CallerScript.BARGE_IN_TURN).bargeInReaction().isEmpty()) {
            return "the barge-in got no clear";
        }
        return "";
    }

    private LoadReport report(List<Placed> placed, Resources.Usage usage) {
        var samples = new ArrayList<TurnAnalysis.Sample>();
        var failures = new ArrayList<String>();
        var lateness = new ArrayList<Double>();
        int failed = 0;
        for (Placed p : placed) {
            if (!p.failure().isEmpty()) {
                failed++;
                failures.add("call " + p.index() + ": " + p.failure());
            }
            if (p.result().isPresent()) {
                TwilioCallerResult r = p.result().get();
                lateness.add(TurnAnalysis.ms(r.maxSendLateness()));
                Optional<CallTrace> trace = fakes.flatMap(f -> f.trace(p.callSid()));
                samples.addAll(TurnAnalysis.analyse(p.index(), r, trace, latencies));
            }
        }
        int scriptedBargeIns = o.turns > CallerScript.BARGE_IN_TURN ? placed.size() : 0;
        var turns = new LoadReport.Turns(
                samples.size(),
                (int) samples.stream().filter(s -> s.gapMs() == null).count(),
                (int) samples.stream().filter(s -> s.sttOnPath() != null).count(),
                (int) samples.stream().filter(s -> Boolean.FALSE.equals(s.sttOnPath())).count(),
                (int) samples.stream().filter(s -> Boolean.TRUE.equals(s.sttOnPath())).count(),
                (int) samples.stream().filter(s -> Boolean.TRUE.equals(s.speculationDiscarded())).count(),
                scriptedBargeIns,
                (int) samples.stream().filter(s -> s.bargeInReactionMs() != null).count());
        var latency = LoadReport.latencies(samples);
        double mb = 1024.0 * 1024.0;
        var cost = new LoadReport.Cost(round(usage.wallSeconds()), round(usage.cpuSeconds()),
                usage.cpuSeconds() / usage.wallSeconds() / o.calls,
                (usage.heapPeak() - usage.heapBaseline()) / mb / o.calls, usage.heapBaseline() / mb,
                usage.heapPeak() / mb, usage.processors(), usage.loadStart(), usage.loadMax(), usage.loadEnd(),
                LoadReport.Stat.of(lateness));
        var settings = new LoadReport.Settings(o.calls, TurnAnalysis.ms(o.stagger), o.turns, TurnAnalysis.ms(o.bargeInAfter),
                server, stack, vad + latencies.map(l -> " (min silence " + l.vadMinSilence().toMillis() + " ms)").orElse(""),
                latencies.map(l -> TurnAnalysis.ms(l.vadMinSilence())).orElse(null),
                latencies.map(l -> TurnAnalysis.ms(l.sttFinal())).orElse(null),
                latencies.map(l -> TurnAnalysis.ms(l.llmTtft())).orElse(null),
                latencies.map(FakeStack.Latencies::llmTokensPerSecond).orElse(null),
                latencies.map(l -> TurnAnalysis.ms(l.ttsTtfb())).orElse(null),
                latencies.map(FakeStack.Latencies::ttsRealTimeFactor).orElse(null));
        return new LoadReport(settings, formula(), new LoadReport.Calls(placed.size(), placed.size() - failed, failed,
                failures), turns, latency, LoadReport.stages(samples), cost, LoadReport.judge(latency), caveats(cost),
                samples);
    }

    private String formula() {
        if (latencies.isEmpty()) {
            return "not computed: the agent's provider latencies are unknown";
        }
        FakeStack.Latencies l = latencies.get();
        return String.format(Locale.ROOT, "turn gap - (VAD min silence %d ms + LLM TTFT %d ms + first-chunk words x %.0f ms"
                + " (%.0f tokens/s) + TTS TTFB %d ms [+ STT final %d ms when the final was on the critical path, i.e."
                + " the reply that played started after it]); 'ex VAD window' uses the measured VAD end lag instead of"
                + " the min silence", l.vadMinSilence().toMillis(), l.llmTtft().toMillis(), 1000 / l.llmTokensPerSecond(),
                l.llmTokensPerSecond(), l.ttsTtfb().toMillis(), l.sttFinal().toMillis());
    }

    private List<String> caveats(LoadReport.Cost cost) {
        var list = new ArrayList<String>();
        list.add("other processes share this machine's CPUs (see the load average): latencies are upper bounds");
        if (server.startsWith("in-process")) {
            list.add("the server shares this JVM with the simulated callers: CPU and heap per call include the callers");
        }
        if (cost.maxSendLatenessMs().p99() != null && cost.maxSendLatenessMs().p99() > 20) {
            list.add("caller frames went out over 20 ms late: the simulator was starved and its timings are suspect");
        }
        return list;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
