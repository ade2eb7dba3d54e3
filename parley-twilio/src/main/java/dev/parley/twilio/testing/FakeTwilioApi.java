package dev.parley.twilio.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.twilio.TwilioSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback fake of Twilio's Call-update REST endpoint, {@code POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json},
 * on {@code 127.0.0.1} and a free port. It checks Basic auth (401, code 20003), knows which calls are live
 * (404, code 20404 for unknown or ended calls), accepts {@code Twiml}, {@code Url} and {@code Status}, records
 * every request, and tells listeners about accepted updates (so a fake caller can send {@code stop} on the
 * stream when the call is redirected). Faults can be injected with {@link #failNext}. Thread-safe.
 */
public final class FakeTwilioApi implements AutoCloseable {
    private static final Pattern CALL_PATH = Pattern.compile("/2010-04-01/Accounts/([A-Za-z0-9]+)/Calls/([A-Za-z0-9]+)\\.json");

    /** One HTTP request as received, with the response status the fake gave. */
    public record RecordedRequest(String method, String path, String authorization, Map<String, String> form, int status) {
        public RecordedRequest {
            form = Map.copyOf(form);
        }
    }

    /** An accepted update of a live call: exactly the form parameters posted. */
    public record CallUpdate(String callSid, Map<String, String> form) {
        public CallUpdate {
            form = Map.copyOf(form);
        }

        public Optional<String> twiml() {
            return Optional.ofNullable(form.get("Twiml"));
        }

        public Optional<String> status() {
            return Optional.ofNullable(form.get("Status"));
        }
    }

    /** What the fake knows about a call: its status and the last TwiML or URL it was redirected to ("" if none). */
    public record CallState(String sid, String status, String twiml, String url) {}

    private record Fault(int status, int code) {}

    private record Reply(int status, String json) {}

    private final String accountSid;
    private final String expectedAuthorization;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CallState> calls = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Consumer<CallUpdate>> listeners = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();

    private FakeTwilioApi(String accountSid, String authToken) throws IOException {
        this.accountSid = accountSid;
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake for one account on a free loopback port. */
    public static FakeTwilioApi start(String accountSid, String authToken) {
        try {
            return new FakeTwilioApi(accountSid, authToken);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port", e);
        }
    }

    /** The base URL to give {@code TwilioRestClient.Builder.baseUrl}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Registers a live call ({@code in-progress}). */
    public void addCall(String callSid) {
        calls.put(callSid, new CallState(callSid, "in-progress", "", ""));
    }

    public Optional<CallState> call(String callSid) {
        return Optional.ofNullable(calls.get(callSid));
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Called (on the server's thread) for each accepted update, before the response is sent. */
    public void onUpdate(Consumer<CallUpdate> listener) {
        listeners.add(listener);
    }

    /** The next {@code times} requests fail with {@code httpStatus} and a Twilio error body carrying {@code code}. */
    public void failNext(int httpStatus, int code, int times) {
        synchronized (faults) {
            for (int i = 0; i < times; i++) {
                faults.add(new Fault(httpStatus, code));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            String auth = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            Map<String, String> form;
            try {
                form = TwilioSignature.formParameters(body);
            } catch (IllegalArgumentException e) {
                form = Map.of();
            }
            // record before answering, so a client that got its answer always finds its request here
            Reply reply = respond(exchange.getRequestMethod(), path, auth, form);
            requests.add(new RecordedRequest(exchange.getRequestMethod(), path, auth, form, reply.status()));
            byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Reply respond(String method, String path, String auth, Map<String, String> form) {
        Fault fault;
        synchronized (faults) {
            fault = faults.poll();
        }
        if (fault != null) {
            return new Reply(fault.status(), error(fault.code(), "Injected failure", fault.status()));
        }
        if (!auth.equals(expectedAuthorization)) {
            return new Reply(401, error(20003, "Authenticate", 401));
        }
        Matcher m = CALL_PATH.matcher(path);
        if (!m.matches() || !m.group(1).equals(accountSid)) {
            return new Reply(404, error(20404, "The requested resource " + path + " was not found", 404));
        }
        if (!method.equals("POST")) {
            return new Reply(405, error(20004, "Method not allowed", 405));
        }
        String callSid = m.group(2);
        CallState state = calls.get(callSid);
        if (state == null || !state.status().equals("in-progress")) {
            return new Reply(404, error(20404, "The requested resource " + path + " was not found", 404));
        }
        String newStatus = form.getOrDefault("Status", "");
        boolean hasTwiml = form.containsKey("Twiml");
        boolean hasUrl = form.containsKey("Url");
        if (!newStatus.isEmpty() && !newStatus.equals("completed") && !newStatus.equals("canceled")) {
            return new Reply(400, error(21218, "Invalid Status", 400));
        }
        if (newStatus.isEmpty() && !hasTwiml && !hasUrl) {
            return new Reply(400, error(21205, "Url, Twiml or Status is required", 400));
        }
        CallState next = !newStatus.isEmpty()
                ? new CallState(callSid, newStatus, state.twiml(), state.url())
                : new CallState(callSid, "in-progress", form.getOrDefault("Twiml", ""), form.getOrDefault("Url", ""));
        calls.put(callSid, next);
        CallUpdate update = new CallUpdate(callSid, form);
        listeners.forEach(l -> l.accept(update));
        String json = "{\"sid\":\"" + callSid + "\",\"account_sid\":\"" + accountSid + "\",\"status\":\""
                + next.status() + "\",\"direction\":\"inbound\",\"api_version\":\"2010-04-01\"}";
        return new Reply(200, json);
    }

    private static String error(int code, String message, int status) {
        return "{\"code\":" + code + ",\"message\":\"" + message.replace("\"", "'") + "\",\"more_info\":"
                + "\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}";
    }

}
