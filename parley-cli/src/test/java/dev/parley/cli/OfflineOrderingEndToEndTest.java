package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.CallEvent;
import dev.parley.examples.ordering.Cart;
import dev.parley.examples.ordering.CartLine;
import dev.parley.machine.Journal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole phone orders on the real embedded stack: FreeTTS caller speech → Silero VAD → Sphinx4 → the offline order
 * engine → tools → FreeTTS → audio played back with marks. Each asserts the confirmed cart exactly.
 */
@Execution(ExecutionMode.CONCURRENT)
class OfflineOrderingEndToEndTest {
    private static final double SPEED = 1.5;
    private static OfflineOrdering stack;
    private static final Map<String, List<dev.parley.audio.AudioFrame>> SPEECH = new ConcurrentHashMap<>();

    @TempDir
    static Path out;

    @BeforeAll
    static void loadModels() {
        Parley.quietLogging();
        stack = OfflineOrdering.create(2);
    }

    static Stream<ScriptedOrders.Order> orders() {
        return ScriptedOrders.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void orderIsTakenExactly(ScriptedOrders.Order order) throws Exception {
        List<LocalCall.Turn> turns = new ArrayList<>();
        for (ScriptedOrders.Line line : order.lines()) {
            var audio = SPEECH.computeIfAbsent(line.text(), t -> CallerVoice.speak(t, Parley.RATE));
            turns.add(new LocalCall.Turn(line.text(), audio, line.bargeInAfter()));
        }
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        String callId = "e2e-" + Integer.toHexString(order.name().hashCode());
        LocalCall.Report report = new LocalCall(stack.agent(), Parley.RATE, SPEED,
                new PrintStream(transcript, true, StandardCharsets.UTF_8), out).run(callId, turns);
        String log = transcript.toString(StandardCharsets.UTF_8);
        assertThat(report.ended()).as(log).isTrue();
        assertThat(Journal.replay(report.journal()).identical()).as("journal replays").isTrue();
        if (order.handoff()) {
            assertThat(report.events()).as(log).anyMatch(e -> e instanceof CallEvent.Transferred);
            assertThat(stack.cartOf(callId).lines()).isEmpty();
            return;
        }
        Cart cart = stack.cartOf(callId);
        assertThat(cart.confirmed()).as(log).isTrue();
        List<ScriptedOrders.Expected> actual = cart.lines().stream().map(OfflineOrderingEndToEndTest::expected).toList();
        assertThat(actual).as(log).containsExactlyInAnyOrderElementsOf(order.cart());
        if (order.lines().stream().anyMatch(l -> l.bargeInAfter().isPresent())) {
            assertThat(report.events()).as(log).anyMatch(e -> e instanceof CallEvent.AgentInterrupted);
        }
    }

    private static ScriptedOrders.Expected expected(CartLine l) {
        return new ScriptedOrders.Expected(l.itemId(), l.size(), l.quantity(),
                l.modifierIds().stream().sorted().toList());
    }
}
