package dev.parley.server;

import dev.parley.twilio.CallToken;
import dev.parley.twilio.TwilioRestClient;
import dev.parley.twilio.TwilioSignature;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parley server: Twilio voice webhook ({@code POST /twilio/voice}), Media Streams WebSocket
 * ({@code /twilio/media}), status callback ({@code POST /twilio/status}), {@code GET /healthz},
 * {@code GET /readyz} and {@code GET /metrics} (Prometheus), on Javalin/Jetty with request handling on
 * virtual threads. Agents come from an {@link AgentFactory}; the server knows no provider.
 *
 * <pre>{@code
 * ParleyServer server = ParleyServer.create(ParleyConfig.fromEnvironment(), call -> agent).start();
 * server.installShutdownHook();   // SIGTERM drains: no new calls, live ones finish or are hung up
 * }</pre>
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);
    private static final Duration HANG_UP_GRACE = Duration.ofSeconds(5);

    private final ParleyConfig config;
    private final Calls calls;
    private final ServerMetrics metrics;
    private final TwilioEndpoints twilio;
    private final @Nullable TwilioRestClient rest;
    private final Javalin app;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** What {@link #drain} did: calls that ended by themselves before the deadline, and calls hung up at it. */
    public record DrainReport(int finishedInTime, int hungUp) {}

    private ParleyServer(ParleyConfig config, AgentFactory agents) {
        this.config = config;
        var tw = config.twilio();
        TwilioSignature signature = null;
        if (tw.validateSignatures()) {
            if (tw.authToken().isEmpty() || config.server().publicUrl().isEmpty()) {
                throw new ConfigException("signature validation needs TWILIO_AUTH_TOKEN and PARLEY_PUBLIC_URL "
                        + "(or set PARLEY_VALIDATE_SIGNATURES=false for local experiments)");
            }
            signature = TwilioSignature.of(tw.authToken());
        }
        this.rest = tw.accountSid().isEmpty() || tw.authToken().isEmpty() ? null
                : TwilioRestClient.builder().accountSid(tw.accountSid()).authToken(tw.authToken())
                        .baseUrl(tw.apiBaseUrl()).timeout(tw.restTimeout()).build();
        byte[] secret = new byte[32];
        if (tw.callTokenSecret().isEmpty()) {
            new SecureRandom().nextBytes(secret);
        } else {
            secret = tw.callTokenSecret().getBytes(StandardCharsets.UTF_8);
        }
        CallToken tokens = CallToken.builder().secret(secret).ttl(tw.callTokenTtl()).build();
        this.calls = new Calls(config.server().maxCalls(), tw.callTokenTtl(), InstantSource.system());
        this.metrics = new ServerMetrics(calls::active, () -> twilioConnections());
        this.twilio = new TwilioEndpoints(config, agents, calls, metrics, tokens, signature, rest);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            var pool = new QueuedThreadPool(200, 8);
            pool.setName("parley-http");
            pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            cfg.jetty.threadPool = pool;
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxTextMessageSize(config.limits().maxMessageBytes());
                f.setMaxBinaryMessageSize(1024);
                f.setIdleTimeout(config.limits().idleTimeout());
            });
            cfg.routes.post(TwilioEndpoints.VOICE_PATH, twilio::voice);
            cfg.routes.post(TwilioEndpoints.STATUS_PATH, twilio::status);
            cfg.routes.wsBeforeUpgrade(TwilioEndpoints.MEDIA_PATH, twilio::beforeUpgrade);
            cfg.routes.ws(TwilioEndpoints.MEDIA_PATH, twilio::media);
            cfg.routes.get("/healthz", ctx -> ctx.result("ok"));
            cfg.routes.get("/readyz", ctx -> {
                if (calls.draining()) {
                    ctx.status(503).result("draining");
                } else {
                    ctx.result("ready");
                }
            });
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
        });
    }

    /** A server for {@code config} whose calls get their agent from {@code agents}; call {@link #start()}. */
    public static ParleyServer create(ParleyConfig config, AgentFactory agents) {
        return new ParleyServer(config, agents);
    }

    private int twilioConnections() {
        return twilio == null ? 0 : twilio.connections();
    }

    /**
     * Runs as a process: configuration from {@code parley.yaml}/environment, started, drained on SIGTERM.
     * A {@code main} only has to supply the agents: {@code ParleyServer.serve(call -> agent)}.
     */
    public static ParleyServer serve(AgentFactory agents) {
        ParleyServer server = create(ParleyConfig.fromEnvironment(), agents).start();
        server.installShutdownHook();
        return server;
    }

    /** Binds the port and starts serving. */
    public ParleyServer start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        app.start(config.server().host(), config.server().port());
        log.info("Parley listening on port {} (max {} calls)", port(), config.server().maxCalls());
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    public int activeCalls() {
        return calls.active();
    }

    public boolean draining() {
        return calls.draining();
    }

    /** The Micrometer registry, to add application meters. */
    public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * Graceful shutdown: stop admitting calls (readyz answers 503, the webhook answers busy), let live calls
     * run until {@code deadline}, hang up the rest, then stop the server. Blocks until done.
     */
    public DrainReport drain(Duration deadline) {
        calls.startDraining();
        log.info("draining: {} live calls, waiting up to {} s", calls.active(), deadline.toSeconds());
        int before = calls.active();
        List<Calls.Live> left = List.of();
        try {
            if (!calls.awaitIdle(deadline)) {
                left = calls.live();
                log.info("drain deadline reached: hanging up {} calls", left.size());
                for (Calls.Live call : left) {
                    Thread.ofVirtual().name("hang-up-" + call.callSid).start(() -> {
                        call.transport.hangUp();
                        call.session().ifPresent(s -> s.hangUp());
                    });
                }
                calls.awaitIdle(HANG_UP_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        return new DrainReport(Math.max(0, before - left.size()), left.size());
    }

    /** Drains with the configured timeout when the JVM is asked to exit (SIGTERM, Ctrl-C). */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("parley-drain").unstarted(() -> {
            if (!stopped.get()) {
                drain(config.server().drainTimeout());
            }
        }));
    }

    /** Stops at once: live calls end when their sockets close. Idempotent. */
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            calls.startDraining();
            app.stop();
            if (rest != null) {
                rest.close();
            }
            metrics.close();
            log.info("Parley stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }
}
