package dev.parley.bench.load;

import dev.parley.audio.EnergyVad;
import dev.parley.server.AgentFactory;
import dev.parley.silero.SileroVad;
import dev.parley.spi.VoiceActivityDetector;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: N concurrent simulated phone calls with staggered starts against a Parley server, measured on the
 * wire (DESIGN.md §6). By default it starts a server in this process on a random loopback port whose agents are
 * scripted fakes with fixed latencies (or the agents of an {@link AgentFactory} given to the constructor); with
 * {@code --url} it calls a running server instead.
 *
 * <pre>
 * java -cp parley-bench/target/benchmarks.jar dev.parley.bench.load.LoadBench --calls 25 --json out.json
 * </pre>
 *
 * <p>Each call: FreeTTS caller sentences at 8 kHz streamed in real time by the Twilio caller simulator, the third
 * talking over the agent's reply; the agent's replies are a few sentences long. The table gives p50/p95/p99 of turn
 * gap, orchestration overhead, barge-in reaction, where the gap went stage by stage, failed calls, CPU and heap per
 * call and audio pacing health.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load benchmark: concurrent simulated Twilio calls against a Parley server.")
public final class LoadBench implements Callable<Integer> {
    /** Which VAD the fake agents use. */
    public enum Vad { silero, energy }

    /** Which agents the in-process server runs. */
    public enum Stack { fake }

    @Option(names = "--calls", description = "concurrent calls (default ${DEFAULT-VALUE})")
    int calls = 1;

    @Option(names = "--stagger", converter = DurationConverter.class,
            description = "delay between call starts, e.g. 200ms (default ${DEFAULT-VALUE})")
    Duration stagger = Duration.ofMillis(200);

    @Option(names = "--turns", description = "caller turns per call, 1-4; the third barges in (default ${DEFAULT-VALUE})")
    int turns = 4;

    @Option(names = "--barge-in-after", converter = DurationConverter.class,
            description = "agent speech heard before the caller barges in (default ${DEFAULT-VALUE})")
    Duration bargeInAfter = Duration.ofMillis(600);

    @Option(names = "--warmup", description = "calls placed one by one before measuring, to warm the JIT (default ${DEFAULT-VALUE})")
    int warmup = 1;

    @Option(names = "--url", description = "a running server to call (default: start one in-process on a random loopback port)")
    Optional<URI> url = Optional.empty();

    @Option(names = "--auth-token", description = "the running server's TWILIO_AUTH_TOKEN, to sign requests")
    Optional<String> authToken = Optional.empty();

    @Option(names = "--public-url", description = "the running server's PARLEY_PUBLIC_URL (default: --url)")
    Optional<URI> publicUrl = Optional.empty();

    @Option(names = "--stack", description = "agents of the in-process server: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Stack stack = Stack.fake;

    @Option(names = "--no-speculation", description = "turn off speculative replies (to measure what they hide)")
    boolean noSpeculation;

    @Option(names = "--vad", description = "VAD of the fake agents: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Vad vad = Vad.silero;

    @Option(names = "--stt-final-latency", converter = DurationConverter.class, description = "default ${DEFAULT-VALUE}")
    Duration sttFinal = Duration.ofMillis(150);

    @Option(names = "--llm-ttft", converter = DurationConverter.class, description = "default ${DEFAULT-VALUE}")
    Duration llmTtft = Duration.ofMillis(350);

    @Option(names = "--llm-tokens-per-second", description = "default ${DEFAULT-VALUE}")
    double llmTokensPerSecond = 50;

    @Option(names = "--tts-ttfb", converter = DurationConverter.class, description = "default ${DEFAULT-VALUE}")
    Duration ttsTtfb = Duration.ofMillis(90);

    @Option(names = "--tts-real-time-factor", description = "times faster than real time (default ${DEFAULT-VALUE})")
    double ttsRealTimeFactor = 4;

    @Option(names = "--vad-min-silence", converter = DurationConverter.class,
            description = "with --url: the server VAD's end-of-speech silence, for the overhead (default ${DEFAULT-VALUE})")
    Duration assumedVadMinSilence = SileroVad.DEFAULT_MIN_SILENCE;

    @Option(names = "--max-call", converter = DurationConverter.class,
            description = "a call lasting longer fails (default ${DEFAULT-VALUE})")
    Duration maxCall = Duration.ofSeconds(90);

    @Option(names = "--json", description = "also write the report (with every turn) as JSON here")
    Optional<Path> json = Optional.empty();

    private final Optional<AgentFactory> customAgents;
    private final String customName;
    private PrintStream out = System.out;

    /** The benchmark with its own fake agents ({@code --stack fake}). */
    public LoadBench() {
        this.customAgents = Optional.empty();
        this.customName = "";
    }

    /**
     * The benchmark with the in-process server running {@code agents} (for example parley-cli's offline ordering
     * agent). Their provider latencies are unknown, so turn gap and barge-in are reported but not the overhead.
     */
    public LoadBench(AgentFactory agents, String name) {
        this.customAgents = Optional.of(agents);
        this.customName = Objects.requireNonNull(name, "name");
    }

    /** Where the table goes (default {@code System.out}). */
    public LoadBench output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    PrintStream out() {
        return out;
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new LoadBench()).execute(args));
    }

    /** Runs the benchmark; 0 when every call succeeded, 1 when some failed. */
    @Override
    public Integer call() {
        if (calls < 1 || calls > 10_000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--calls must be between 1 and 10000");
        }
        if (turns < 1 || turns > 4) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--turns must be between 1 and 4");
        }
        if (url.isPresent() && authToken.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--url needs --auth-token");
        }
        out.printf(Locale.ROOT, "synthesising %d caller sentences with FreeTTS...%n", turns);
        CallerScript script = CallerScript.synthesise(turns);
        LoadReport report;
        if (url.isPresent()) {
            var target = new LoadRun.Target(url.get(), authToken.orElseThrow(), publicUrl.orElse(url.get()));
            var l = latencies(assumedVadMinSilence);
            report = new LoadRun(this, script, Optional.empty(), Optional.of(l), "running server at " + url.get(),
                    "unknown (assumed fake, latencies as given)", "unknown").run(target);
        } else if (customAgents.isPresent()) {
            report = LoadRun.inProcess(this, script, customAgents.get(), Optional.empty(), Optional.empty(),
                    "custom: " + customName, "the agent's own");
        } else {
            VoiceActivityDetector detector = vad == Vad.silero ? SileroVad.create() : EnergyVad.create();
            Duration minSilence = detector instanceof SileroVad s ? s.minSilence() : ((EnergyVad) detector).minSilence();
            var fakes = new FakeStack(script, latencies(minSilence), detector, !noSpeculation);
            try {
                report = LoadRun.inProcess(this, script, fakes, Optional.of(fakes), Optional.of(fakes.latencies()),
                        "fake", detector.name());
            } finally {
                if (detector instanceof SileroVad s) {
                    s.close();
                }
            }
        }
        report.print(out);
        json.ifPresent(p -> {
            report.writeJson(p);
            out.println("wrote " + p.toAbsolutePath());
        });
        return report.calls().failed() == 0 ? 0 : 1;
    }

    private FakeStack.Latencies latencies(Duration vadMinSilence) {
        return new FakeStack.Latencies(vadMinSilence, sttFinal, llmTtft, llmTokensPerSecond, ttsTtfb, ttsRealTimeFactor);
    }

    /** Parses {@code 150ms}, {@code 2s}, {@code 1m}, ISO-8601 ({@code PT2S}) or a plain number of milliseconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String s = value.strip().toLowerCase(Locale.ROOT);
            try {
                Duration d;
                if (s.startsWith("pt")) {
                    d = Duration.parse(s.toUpperCase(Locale.ROOT));
                } else if (s.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
                } else if (s.endsWith("s")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).strip()) * 1000));
                } else if (s.endsWith("m")) {
                    d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).strip()) * 60);
                } else {
                    d = Duration.ofMillis(Long.parseLong(s));
                }
                if (d.isNegative()) {
                    throw new CommandLine.TypeConversionException("negative duration: " + value);
                }
                return d;
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("not a duration (e.g. 150ms, 2s, PT1S): " + value);
            }
        }
    }
}
