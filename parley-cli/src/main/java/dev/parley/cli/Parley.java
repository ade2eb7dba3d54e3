package dev.parley.cli;

import dev.parley.CallEvent;
import dev.parley.examples.ordering.Cart;
import dev.parley.examples.ordering.CartLine;
import dev.parley.examples.ordering.MenuItem;
import dev.parley.machine.Journal;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code parley} command. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "parley 0.1.0",
        description = "Real-time voice agents on the JVM.",
        subcommands = {Parley.CallCommand.class, Parley.DemoCommand.class, Parley.ReplayCommand.class,
                Parley.TalkCommand.class, Parley.CapacityCommand.class,
                Parley.ServeCommand.class})
public final class Parley implements Callable<Integer> {
    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        quietLogging();
        int code = new CommandLine(new Parley()).execute(args);
        System.exit(code);
    }

    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** {@code parley call <caller.wav>...}: one simulated call on the embedded offline stack. */
    @Command(name = "call", description = "One simulated call on the embedded stack: each WAV is one caller turn.")
    static final class CallCommand implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "<caller.wav>", description = "caller turns, in order")
        List<Path> turns = new ArrayList<>();

        @Option(names = "--fast", description = "stream faster than real time (4x)")
        boolean fast;

        @Option(names = "--barge-in", paramLabel = "TURN:MS",
                description = "start turn TURN (1-based) MS milliseconds after the agent starts answering")
        List<String> bargeIns = new ArrayList<>();

        @Option(names = "--out", description = "where the stereo WAV and the journal go (default: calls)")
        Path out = Path.of("calls");

        @Override
        public Integer call() throws Exception {
            Map<Integer, Duration> barge = new TreeMap<>();
            for (String b : bargeIns) {
                String[] p = b.split(":");
                barge.put(Integer.parseInt(p[0]), Duration.ofMillis(Long.parseLong(p[1])));
            }
            List<LocalCall.Turn> list = new ArrayList<>();
            for (int i = 0; i < turns.size(); i++) {
                Path wav = turns.get(i);
                if (!Files.isRegularFile(wav)) {
                    System.err.println("no such file: " + wav);
                    return 2;
                }
                list.add(new LocalCall.Turn(wav.getFileName().toString(), LocalCall.readTurn(wav, RATE),
                        Optional.ofNullable(barge.get(i + 1))));
            }
            return runCall(list, fast ? 4 : 1, out, System.out) ? 0 : 1;
        }
    }

    static final int RATE = 16000;

    static boolean runCall(List<LocalCall.Turn> turns, double speed, Path out, PrintStream ps) throws Exception {
        ps.println("Loading the embedded stack (Silero VAD, Sphinx4, offline order engine, FreeTTS)...");
        OfflineOrdering stack = OfflineOrdering.create(1);
        String callId = "local-" + Long.toString(System.currentTimeMillis(), 36);
        ps.println("Call " + callId + (speed > 1 ? " (" + speed + "x real time)" : " (real time)"));
        LocalCall.Report report = new LocalCall(stack.agent(), RATE, speed, ps, out).run(callId, turns);
        ps.println();
        printLatencies(report.turnGaps(), ps);
        Cart cart = stack.cartOf(callId);
        printCart(stack, cart, ps);
        ps.println("Recording (caller left, agent right): " + report.wav());
        ps.println("Journal: " + report.journal() + "   (check it: ./parley replay " + report.journal() + ")");
        boolean transferred = report.events().stream().anyMatch(e -> e instanceof CallEvent.Transferred);
        return cart.confirmed() || transferred;
    }

    static void printLatencies(List<Duration> gaps, PrintStream ps) {
        if (gaps.isEmpty()) {
            return;
        }
        List<Long> ms = gaps.stream().map(Duration::toMillis).sorted().toList();
        ps.printf("Turn gaps (end of caller speech -> first agent audio): %s ms; p50 %d ms, max %d ms%n",
                gaps.stream().map(Duration::toMillis).toList(), ms.get(ms.size() / 2), ms.getLast());
    }

    static void printCart(OfflineOrdering stack, Cart cart, PrintStream ps) {
        if (cart.lines().isEmpty()) {
            ps.println("The cart is empty.");
            return;
        }
        ps.println(cart.confirmed() ? "Confirmed order #" + cart.orderNumber() + ":" : "Cart (not confirmed):");
        for (CartLine line : cart.lines()) {
            String name = stack.menu().item(line.itemId()).map(MenuItem::name).orElse(line.itemId());
            String mods = line.modifierIds().isEmpty() ? "" : " (" + String.join(", ", line.modifierIds()) + ")";
            ps.printf("  %d x %s %s%s  $%d.%02d%n", line.quantity(), line.size(), name, mods,
                    line.lineTotalCents() / 100, line.lineTotalCents() % 100);
        }
        ps.printf("  total $%d.%02d%n", cart.totalCents() / 100, cart.totalCents() % 100);
    }

    /** {@code parley demo}: synthesises a caller and runs a whole order through {@code call}. */
    @Command(name = "demo", description = "Synthesise a caller and run a whole phone order on the embedded stack.")
    static final class DemoCommand implements Callable<Integer> {
        @Option(names = "--real-time", description = "stream at real time instead of 2x")
        boolean realTime;

        @Option(names = "--out", description = "where the stereo WAV and the journal go (default: calls)")
        Path out = Path.of("calls");

        @Override
        public Integer call() throws Exception {
            List<String> caller = List.of(
                    "i would like two large pepperoni pizzas and a diet coke",
                    "actually make that three pepperoni pizzas",
                    "and an order of garlic knots",
                    "no that is all",
                    "yes that is correct");
            System.out.println("Synthesising the caller's " + caller.size() + " turns with FreeTTS...");
            List<LocalCall.Turn> turns = new ArrayList<>();
            for (String line : caller) {
                turns.add(LocalCall.Turn.of("\"" + line + "\"", CallerVoice.speak(line, RATE)));
            }
            return runCall(turns, realTime ? 1 : 2, out, System.out) ? 0 : 1;
        }
    }

    /** {@code parley replay <journal>}: re-runs a journal's decisions. */
    @Command(name = "replay", description = "Re-run a call journal and report whether every decision is identical.")
    static final class ReplayCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<journal>")
        Path journal;

        @Override
        public Integer call() {
            Journal.ReplayResult r = Journal.replay(journal);
            if (r.identical()) {
                System.out.println("identical: all " + r.decisions() + " decisions replayed to the same effects");
                return 0;
            }
            System.out.println("DIFFERENT after " + r.decisions() + " decisions: " + r.difference());
            return 1;
        }
    }

    /** {@code parley serve}: the phone server on the embedded stack (or the cloud providers whose keys are set). */
    @Command(name = "serve", description = "Run the Parley phone server (Twilio Media Streams); configuration from "
            + "parley.yaml and the environment (see the README).")
    static final class ServeCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            dev.parley.server.ParleyConfig config = dev.parley.server.ParleyConfig.fromEnvironment();
            int expected = Math.min(config.server().maxCalls(), 8);
            dev.parley.VoiceAgent agent;
            if (CloudOrdering.configured(config.providers())) {
                System.out.println("Loading the cloud stack with offline fallbacks and warming its connections...");
                CloudOrdering cloud = CloudOrdering.create(config, System.getenv(), expected);
                System.out.println("Stack: " + cloud.describe());
                agent = cloud.agent();
            } else {
                System.out.println("Loading the embedded stack (Silero VAD, Sphinx4, offline order engine, FreeTTS)...");
                System.out.println("Stack: offline (no provider key set)");
                agent = OfflineOrdering.create(expected).agent();
            }
            dev.parley.server.ParleyServer server = dev.parley.server.ParleyServer.create(config, call -> agent)
                    .start();
            server.installShutdownHook();
            String base = config.server().publicUrl().isBlank() ? "http://localhost:" + server.port()
                    : config.server().publicUrl();
            System.out.println("Parley is listening on port " + server.port() + ".");
            System.out.println("Give Twilio this voice webhook (HTTP POST): " + base + "/twilio/voice");
            System.out.println("Health: " + base + "/healthz   Metrics: " + base + "/metrics   (Ctrl-C drains and stops)");
            new java.util.concurrent.CountDownLatch(1).await();
            return 0;
        }
    }

    /** {@code parley capacity}: concurrent offline calls in real time. */
    @Command(name = "capacity", description = "Run N scripted phone orders at once on the embedded stack and measure.")
    static final class CapacityCommand implements Callable<Integer> {
        @Option(names = "--calls", description = "concurrent calls (default 4)")
        int calls = 4;

        @Option(names = "--speed", description = "audio speed (1 = real time)")
        double speed = 1;

        @Override
        public Integer call() throws Exception {
            Capacity.print(Capacity.run(calls, speed, System.out), System.out);
            return 0;
        }
    }

    /** {@code parley talk}: talk to the agent through the microphone and speakers. */
    @Command(name = "talk", description = "Talk with the ordering agent through the microphone and speakers.")
    static final class TalkCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return Talk.run(System.out);
        }
    }
}
