package dev.parley.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Places a simulated call: the signed voice webhook, the TwiML, and the signed stream upgrade. */
final class TwilioCallerDialer {
    private TwilioCallerDialer() {}

    static TwilioCallerResult call(TwilioCallerSimulator sim, HttpClient http) {
        Map<String, String> none = Map.of();
        HttpRequest.Builder request = HttpRequest.newBuilder(sim.webhookUrl).timeout(TwilioCallerSimulator.HTTP_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(TwilioCallerWire.formEncode(sim.webhookParameters)));
        sign(sim, sim.webhookSigning, sim.signedWebhookUrl, sim.webhookParameters)
                .ifPresent(s -> request.header("X-Twilio-Signature", s));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return TwilioCallerResult.notConnected(TwilioCallerResult.Outcome.WEBHOOK_FAILED,
                    "cannot post to " + sim.webhookUrl + ": " + e, 0, "", none);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TwilioCallerResult.notConnected(
                    TwilioCallerResult.Outcome.WEBHOOK_FAILED, "interrupted", 0, "", none);
        }
        String twiml = response.body();
        if (response.statusCode() != 200) {
            return TwilioCallerResult.notConnected(TwilioCallerResult.Outcome.WEBHOOK_FAILED,
                    "webhook answered HTTP " + response.statusCode(), response.statusCode(), twiml, none);
        }
        TwilioCallerWire.Twiml parsed;
        try {
            parsed = TwilioCallerWire.parseTwiml(twiml);
        } catch (RuntimeException e) {
            return TwilioCallerResult.notConnected(
                    TwilioCallerResult.Outcome.WEBHOOK_FAILED, e.getMessage(), 200, twiml, none);
        }
        return switch (parsed) {
            case TwilioCallerWire.Twiml.Refused(var reason) ->
                    TwilioCallerResult.notConnected(TwilioCallerResult.Outcome.REJECTED, reason, 200, twiml, none);
            case TwilioCallerWire.Twiml.Other(var verbs) -> TwilioCallerResult.notConnected(
                    TwilioCallerResult.Outcome.NO_STREAM, "no <Connect><Stream> among " + verbs, 200, twiml, none);
            case TwilioCallerWire.Twiml.Stream(var url, var params) -> stream(sim, http, url, params, twiml);
        };
    }

    private static TwilioCallerResult stream(
            TwilioCallerSimulator sim, HttpClient http, String url, Map<String, String> params, String twiml) {
        URI uri;
        try {
            uri = sim.webhookUrl.resolve(url);
        } catch (IllegalArgumentException e) {
            return streamFailed("31920: <Stream url> is not a URL: " + url, twiml, params);
        }
        if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
            String scheme = uri.getScheme();
            if (url.contains("://") || scheme == null || !scheme.startsWith("http")) {
                return streamFailed("31920: <Stream url> must be wss:// (or ws://): " + url, twiml, params);
            }
            uri = URI.create(uri.toString().replaceFirst("^http", "ws"));
        }
        if (uri.getRawQuery() != null) {
            return streamFailed("31920: <Stream url> has a query string, which Twilio does not support: " + url,
                    twiml, params);
        }
        String signedUrl = uri.toString();
        String streamSid = "MZ" + TwilioCallerSimulator.hex32();
        var session = new TwilioCallerSession(sim, streamSid, params);
        WebSocket.Builder ws = http.newWebSocketBuilder().connectTimeout(TwilioCallerSimulator.HTTP_TIMEOUT);
        sign(sim, sim.streamSigning, signedUrl, Map.of()).ifPresent(s -> ws.header("x-twilio-signature", s));
        WebSocket socket;
        var opening = ws.buildAsync(sim.streamAddress.orElse(uri), session);
        try {
            socket = opening.get(TwilioCallerSimulator.HTTP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof WebSocketHandshakeException h
                    ? "handshake refused with HTTP " + h.getResponse().statusCode()
                    : String.valueOf(e.getCause());
            return streamFailed("cannot open the stream " + uri + ": " + why, twiml, params);
        } catch (TimeoutException e) {
            opening.cancel(true);
            return streamFailed("timed out opening the stream " + uri, twiml, params);
        } catch (InterruptedException e) {
            opening.cancel(true);
            Thread.currentThread().interrupt();
            return streamFailed("interrupted", twiml, params);
        }
        return session.run(socket, twiml);
    }

    private static TwilioCallerResult streamFailed(String detail, String twiml, Map<String, String> params) {
        return TwilioCallerResult.notConnected(TwilioCallerResult.Outcome.STREAM_FAILED, detail, 200, twiml, params);
    }

    private static Optional<String> sign(
            TwilioCallerSimulator sim, TwilioCallerSimulator.Signing signing, String url, Map<String, String> params) {
        return switch (signing) {
            case VALID -> Optional.of(TwilioCallerWire.signature(sim.authToken, url, params));
            case WRONG_TOKEN -> Optional.of(TwilioCallerWire.signature(sim.authToken + "-wrong", url, params));
            case MISSING -> Optional.empty();
            case HTTPS_URL -> Optional.of(
                    TwilioCallerWire.signature(sim.authToken, url.replaceFirst("^ws", "http"), params));
        };
    }
}
