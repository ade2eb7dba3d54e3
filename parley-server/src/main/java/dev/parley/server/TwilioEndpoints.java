package dev.parley.server;

import dev.parley.CallSession;
import dev.parley.VoiceAgent;
import dev.parley.twilio.CallToken;
import dev.parley.twilio.TwiML;
import dev.parley.twilio.TwilioCodec;
import dev.parley.twilio.TwilioMessage;
import dev.parley.twilio.TwilioRestClient;
import dev.parley.twilio.TwilioSignature;
import dev.parley.twilio.TwilioTransport;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.websocket.WsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The Twilio side of the server: voice webhook, status callback and the Media Streams WebSocket. */
final class TwilioEndpoints {
    static final String VOICE_PATH = "/twilio/voice";
    static final String STATUS_PATH = "/twilio/status";
    static final String MEDIA_PATH = "/twilio/media";

    private static final Logger log = LoggerFactory.getLogger(TwilioEndpoints.class);
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Duration NEVER = Duration.ofDays(1);

    private final ParleyConfig config;
    private final AgentFactory agents;
    private final Calls calls;
    private final ServerMetrics metrics;
    private final CallToken tokens;
    private final @Nullable TwilioSignature signature;
    private final @Nullable TwilioRestClient rest;
    private final TwilioCodec codec;
    private final Map<String, TwilioTransport> connections = new ConcurrentHashMap<>();
    private final int maxConnections;

    TwilioEndpoints(ParleyConfig config, AgentFactory agents, Calls calls, ServerMetrics metrics, CallToken tokens,
            @Nullable TwilioSignature signature, @Nullable TwilioRestClient rest) {
        this.config = config;
        this.agents = agents;
        this.calls = calls;
        this.metrics = metrics;
        this.tokens = tokens;
        this.signature = signature;
        this.rest = rest;
        int maxBytes = config.limits().maxMessageBytes();
        this.codec = TwilioCodec.withLimits(maxBytes, Math.max(1, maxBytes * 3 / 4));
        this.maxConnections = config.server().maxCalls() * 2 + 4;
    }

    int connections() {
        return connections.size();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    void voice(Context ctx) {
        Optional<Map<String, String>> form = signedForm(ctx, VOICE_PATH, "webhook");
        if (form.isEmpty()) {
            return;
        }
        String callSid = form.get().getOrDefault("CallSid", "");
        if (!SID.matcher(callSid).matches()) {
            ctx.status(400).result("CallSid missing or invalid");
            return;
        }
        Calls.Admission admission = calls.admitWebhook(callSid);
        if (admission != Calls.Admission.ADMITTED) {
            metrics.rejected("webhook", admission.name().toLowerCase(Locale.ROOT));
            log.info("call {} refused: {}", callSid, admission);
            xml(ctx, TwiML.busy());
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put(CallToken.PARAMETER, tokens.issue(callSid));
        for (String name : List.of("From", "To")) {
            String value = form.get().getOrDefault(name, "");
            if (!value.isEmpty() && value.length() + name.length() < TwiML.MAX_PARAMETER_CHARS) {
                params.put(name.toLowerCase(Locale.ROOT), value);
            }
        }
        log.debug("call {} admitted", callSid);
        xml(ctx, TwiML.connectStream(streamUrl(ctx), params));
    }

    void status(Context ctx) {
        Optional<Map<String, String>> form = signedForm(ctx, STATUS_PATH, "status");
        if (form.isPresent()) {
            log.debug("status callback for call {}: {} {}", form.get().getOrDefault("CallSid", ""),
                    form.get().getOrDefault("StreamEvent", ""), form.get().getOrDefault("CallStatus", ""));
            ctx.status(204);
        }
    }

    /** The form, if the request is well-formed and correctly signed; otherwise the response is already set. */
    private Optional<Map<String, String>> signedForm(Context ctx, String path, String where) {
        Map<String, String> form;
        try {
            form = TwilioSignature.formParameters(ctx.body());
        } catch (IllegalArgumentException e) {
            ctx.status(400).result("malformed form body");
            return Optional.empty();
        }
        if (signature != null) {
            String query = ctx.queryString();
            String url = config.server().publicUrl() + path + (query == null || query.isEmpty() ? "" : "?" + query);
            String given = ctx.header(TwilioSignature.HEADER);
            if (given == null || !signature.validate(url, form, given)) {
                metrics.rejected(where, "signature");
                log.warn("{} request with a missing or invalid X-Twilio-Signature refused", where);
                ctx.status(403).result("invalid signature");
                return Optional.empty();
            }
        }
        return Optional.of(form);
    }

    private String streamUrl(Context ctx) {
        String pub = config.server().publicUrl();
        if (pub.isEmpty()) {
            return "ws://" + Optional.ofNullable(ctx.host()).orElse("localhost") + MEDIA_PATH;
        }
        return TwilioSignature.webSocketUrl(pub) + MEDIA_PATH;
    }

    private static void xml(Context ctx, String twiml) {
        ctx.contentType("text/xml; charset=utf-8").result(twiml);
    }

    // ---- WebSocket -----------------------------------------------------------------------------------------------

    /** Before the upgrade: refuse a present but wrong signature (403) and connection floods (503). */
    void beforeUpgrade(Context ctx) {
        String given = ctx.header(TwilioSignature.HEADER);
        if (signature != null && given != null) {
            String url = TwilioSignature.webSocketUrl(config.server().publicUrl()) + MEDIA_PATH;
            if (!signature.validateWebSocket(url, given)) {
                metrics.rejected("stream", "signature");
                log.warn("WebSocket upgrade with an invalid X-Twilio-Signature refused");
                throw new ForbiddenResponse("invalid signature");
            }
        }
        if (connections.size() >= maxConnections) {
            metrics.rejected("stream", "connections");
            throw new ServiceUnavailableResponse("too many connections");
        }
    }

    void media(WsConfig ws) {
        ws.onConnect(ctx -> {
            var meter = metrics.callMeter();
            var builder = TwilioTransport.builder(new JettyTwilioSocket(ctx.session, config.limits().slowClientTimeout()))
                    .codec(codec)
                    .maxMalformed(config.limits().maxMalformedMessages())
                    .maxMessagesPerSecond(config.limits().maxMessagesPerSecond())
                    .sendQueueCapacity(config.limits().sendQueueMessages())
                    .slowClientTimeout(config.limits().slowClientTimeout())
                    .transferNumber(config.twilio().handoffNumber())
                    .observer(meter)
                    .onStart((transport, start) -> started(transport, start, meter));
            if (rest != null) {
                builder.restClient(rest);
            }
            TwilioTransport transport = builder.build();
            String id = ctx.sessionId();
            connections.put(id, transport);
            transport.whenClosed().thenRun(() -> connections.remove(id));
        });
        ws.onMessage(ctx -> {
            TwilioTransport t = connections.get(ctx.sessionId());
            if (t != null) {
                t.onMessage(ctx.message());
            }
        });
        ws.onBinaryMessage(ctx -> {
            TwilioTransport t = connections.get(ctx.sessionId());
            if (t != null) {
                t.onBinaryMessage(ctx.data().remaining());
            }
        });
        ws.onClose(ctx -> closed(ctx.sessionId()));
        ws.onError(ctx -> {
            log.debug("WebSocket error: {}", String.valueOf(ctx.error()));
            closed(ctx.sessionId());
        });
    }

    private void closed(String sessionId) {
        TwilioTransport t = connections.remove(sessionId);
        if (t != null) {
            t.onClose();
        }
    }

    /** On the connection's reader thread: check the token and admission, then run the call on its own thread. */
    private void started(TwilioTransport transport, TwilioMessage.Start start, ServerMetrics.CallMeter meter) {
        CallToken.Verdict verdict = tokens.verify(start);
        if (verdict != CallToken.Verdict.VALID) {
            metrics.rejected("stream", "token_" + verdict.name().toLowerCase(Locale.ROOT));
            log.warn("stream for call {} refused: call token {}", start.callSid(), verdict);
            transport.reject(TwilioTransport.CLOSE_POLICY, "forbidden");
            return;
        }
        List<Calls.Live> admitted = new ArrayList<>(1);
        Calls.Admission admission = calls.admitStream(start.callSid(), transport, admitted);
        if (admission != Calls.Admission.ADMITTED) {
            metrics.rejected("stream", admission.name().toLowerCase(Locale.ROOT));
            transport.reject(TwilioTransport.CLOSE_TRY_LATER, admission == Calls.Admission.BUSY ? "busy" : "draining");
            return;
        }
        Calls.Live call = admitted.getFirst();
        Thread.ofVirtual().name("call-" + start.callSid()).start(() -> run(call, meter));
    }

    private void run(Calls.Live call, ServerMetrics.CallMeter meter) {
        MDC.put("callId", call.callSid);
        boolean failed = false;
        try {
            VoiceAgent agent = agents.agentFor(call.transport.info());
            CallSession session = agent.call(call.transport, meter);
            call.session = session;
            metrics.callStarted();
            log.info("call {} started", call.callSid);
            while (!session.awaitEnd(NEVER)) {
                // a day-long call: keep waiting
            }
            String reason = call.transport.whenClosed().toCompletableFuture().getNow("");
            failed = reason.startsWith("protocol violation") || reason.equals("client too slow")
                    || reason.equals("connection failed") || reason.equals("agent too slow");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed = true;
            log.warn("call {} failed: {}", call.callSid, e.toString());
        } finally {
            call.transport.close();
            if (failed) {
                metrics.callFailed();
            }
            metrics.callEnded(Duration.between(call.startedAt, Instant.now()));
            calls.ended(call);
            log.info("call {} ended", call.callSid);
            MDC.clear();
        }
    }
}
