package dev.parley.cli;

import dev.parley.VoiceAgent;
import dev.parley.server.ParleyConfig;
import dev.parley.server.ParleyServer;
import dev.parley.testkit.TwilioCallerSimulator;
import dev.parley.twilio.testing.FakeTwilioApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A Parley phone server on a free loopback port, as in production: webhook signatures validated against its public
 * URL ({@code http://127.0.0.1:<port>}), Twilio REST call control (hang-up, transfer) pointed at a
 * {@link FakeTwilioApi}, and a handoff number. Callers are {@link TwilioCallerSimulator}s.
 */
final class PhoneServer implements AutoCloseable {
    static final String AUTH_TOKEN = "phone-e2e-auth-token-0123456789";
    static final String ACCOUNT = "AC00000000000000000000000000e2e0";
    static final String HANDOFF_NUMBER = "+15005550199";
    static final Duration MAX_CALL = Duration.ofSeconds(60);

    private final FakeTwilioApi twilio;
    private final ParleyServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private PhoneServer(FakeTwilioApi twilio, ParleyServer server) {
        this.twilio = twilio;
        this.server = server;
    }

    /** Starts the fake Twilio REST API and the server; every call gets {@code agent}. */
    static PhoneServer start(VoiceAgent agent) {
        FakeTwilioApi twilio = FakeTwilioApi.start(ACCOUNT, AUTH_TOKEN);
        RuntimeException failure = null;
        // the public URL names the port, so the port is chosen first; another process may take it meanwhile: retry
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            ParleyConfig config = ParleyConfig.load(Optional.empty(), Map.of(
                    "PARLEY_PORT", Integer.toString(port),
                    "PARLEY_HOST", "127.0.0.1",
                    "PARLEY_PUBLIC_URL", "http://127.0.0.1:" + port,
                    "PARLEY_VALIDATE_SIGNATURES", "true",
                    "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                    "TWILIO_ACCOUNT_SID", ACCOUNT,
                    "TWILIO_API_BASE_URL", twilio.baseUrl().toString(),
                    "PARLEY_HANDOFF_NUMBER", HANDOFF_NUMBER,
                    "PARLEY_MAX_CALLS", "4"));
            ParleyServer server = ParleyServer.create(config, call -> agent);
            try {
                return new PhoneServer(twilio, server.start());
            } catch (RuntimeException e) {
                server.stop();
                failure = e;
            }
        }
        twilio.close();
        throw failure;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    ParleyServer server() {
        return server;
    }

    FakeTwilioApi twilio() {
        return twilio;
    }

    /** A new CallSid, registered as live with the fake REST API (so hang-up and transfer requests are accepted). */
    String newCall() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        String sid = "CA" + HexFormat.of().formatHex(b);
        twilio.addCall(sid);
        return sid;
    }

    /** A caller for {@code callSid}, signing correctly with the server's auth token. */
    TwilioCallerSimulator.Builder caller(String callSid) {
        return TwilioCallerSimulator.builder(baseUrl(), AUTH_TOKEN).accountSid(ACCOUNT).callSid(callSid)
                .maxDuration(MAX_CALL);
    }

    String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(baseUrl().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    static void await(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(50_000_000);
        }
    }

    @Override
    public void close() {
        server.stop();
        twilio.close();
        http.close();
    }
}
