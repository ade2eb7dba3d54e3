package dev.parley.server;

import dev.parley.CallEvent;
import dev.parley.twilio.TwilioProtocolException;
import dev.parley.twilio.TwilioTransport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/** The server's Micrometer meters, exposed in Prometheus text format on {@code GET /metrics}. */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter callsTotal;
    private final Counter callsFailed;
    private final Counter bargeIns;
    private final Counter providerErrors;
    private final Counter malformed;
    private final Timer turnGap;
    private final Timer callDuration;

    private final AutoCloseable providerEvents;

    /** Stops counting provider events (the server has stopped). */
    void close() {
        try {
            providerEvents.close();
        } catch (Exception e) {
            // removing a listener cannot fail
        }
    }

    ServerMetrics(IntSupplier activeCalls, IntSupplier connections) {
        Gauge.builder("parley.calls.active", activeCalls::getAsInt).description("calls in progress").register(registry);
        Gauge.builder("parley.ws.connections", connections::getAsInt).description("open Media Streams WebSockets")
                .register(registry);
        callsTotal = Counter.builder("parley.calls").description("calls started").register(registry);
        callsFailed = Counter.builder("parley.calls.failed")
                .description("calls that could not start or ended by a fault (protocol, slow client, send failure, agent error)")
                .register(registry);
        bargeIns = Counter.builder("parley.barge.ins").description("caller interruptions of the agent").register(registry);
        providerErrors = Counter.builder("parley.provider.errors")
                .description("agent replies that failed (LLM, TTS or tool error)").register(registry);
        // every provider error, retry, stall, failover, circuit opening and routing decision, by kind and provider
        providerEvents = dev.parley.ProviderEvents.listen(e -> Counter.builder("parley.provider.events")
                .description("provider errors, retries, stalls, failovers and routing decisions")
                .tag("kind", e.kind()).tag("provider", e.provider()).register(registry).increment());
        malformed = Counter.builder("parley.ws.malformed.messages").description("malformed inbound messages refused")
                .register(registry);
        turnGap = Timer.builder("parley.turn.gap")
                .description("caller stopped speaking (VAD) to the first agent audio queued for the caller")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        callDuration = Timer.builder("parley.call.duration").description("call length").register(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        int cores = Runtime.getRuntime().availableProcessors();
        var os = ManagementFactory.getOperatingSystemMXBean();
        Gauge.builder("parley.cpu.cores.per.call", () -> {
            int n = activeCalls.getAsInt();
            double usage = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
            return n == 0 || usage < 0 ? 0 : usage * cores / n;
        }).description("recent process CPU (in cores) divided by active calls").register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    void callStarted() {
        callsTotal.increment();
    }

    void callFailed() {
        callsFailed.increment();
    }

    void callEnded(Duration length) {
        callDuration.record(length);
    }

    void rejected(String where, String reason) {
        registry.counter("parley.rejected", "where", where, "reason", reason).increment();
    }

    /** Per-call meter: the transport's observer and the call's event listener. */
    CallMeter callMeter() {
        return new CallMeter();
    }

    final class CallMeter implements TwilioTransport.Observer, Consumer<CallEvent> {
        private final AtomicLong stoppedAt = new AtomicLong();

        @Override
        public void accept(CallEvent event) {
            switch (event) {
                case CallEvent.CallerStoppedSpeaking s -> stoppedAt.set(System.nanoTime());
                case CallEvent.CallerStartedSpeaking s -> stoppedAt.set(0);
                case CallEvent.AgentInterrupted i -> bargeIns.increment();
                case CallEvent.ReplyFinished r when r.outcome().equals("FAILED") -> providerErrors.increment();
                default -> { }
            }
        }

        @Override
        public void audioQueued(Duration audio) {
            long t = stoppedAt.get();
            if (t != 0 && stoppedAt.compareAndSet(t, 0)) {
                turnGap.record(Duration.ofNanos(System.nanoTime() - t));
            }
        }

        @Override
        public void malformed(TwilioProtocolException e) {
            malformed.increment();
        }
    }
}
