package dev.parley.server;

import dev.parley.audio.AudioFrame;
import dev.parley.twilio.TwilioAudio;
import dev.parley.twilio.TwilioCodec;
import dev.parley.twilio.TwilioMessage;
import dev.parley.twilio.TwilioSignature;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Twilio, as the server sees it, over real loopback HTTP and WebSockets (JDK client): signed voice webhooks,
 * and Media Streams connections that send {@code connected}/{@code start}/media/DTMF/{@code stop}, collect
 * what the server sends and echo marks at once (as Twilio does once the audio before them has played).
 */
final class FakeTwilio implements AutoCloseable {
    static final String AUTH_TOKEN = "test-auth-token-0123456789";
    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String PUBLIC_URL = "https://parley.example.test";
    static final String STREAM_URL = "wss://parley.example.test/twilio/media";
    private static final Pattern PARAMETER = Pattern.compile("<Parameter name=\"([^\"]*)\" value=\"([^\"]*)\"/>");

    private final HttpClient http = HttpClient.newHttpClient();
    private final TwilioSignature signer = TwilioSignature.of(AUTH_TOKEN);
    private final int port;

    FakeTwilio(int port) {
        this.port = port;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Posts the voice webhook for a new inbound call, correctly signed unless {@code goodSignature} is false. */
    HttpResponse<String> webhook(String callSid, boolean goodSignature) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", callSid);
        form.put("AccountSid", ACCOUNT);
        form.put("From", "+15550001111");
        form.put("To", "+15552223333");
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        form.put("ApiVersion", "2010-04-01");
        String signature = signer.sign(PUBLIC_URL + "/twilio/voice", form);
        if (!goodSignature) {
            signature = signer.sign(PUBLIC_URL + "/twilio/other", form);
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(url("/twilio/voice"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignature.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code <Parameter>}s of the TwiML's stream. */
    static Map<String, String> streamParameters(String twiml) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(twiml);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /** Webhook, then a stream started with the TwiML's parameters: a call ready for audio. */
    Call call(String callSid) throws Exception {
        var response = webhook(callSid, true);
        if (response.statusCode() != 200 || !response.body().contains("<Stream")) {
            throw new AssertionError("webhook refused: " + response.statusCode() + " " + response.body());
        }
        Call call = connect(true);
        call.start(callSid, streamParameters(response.body()));
        return call;
    }

    /** Opens a Media Streams WebSocket, with a good signature header or none. */
    Call connect(boolean signed) throws Exception {
        return connect(signed ? signer.sign(STREAM_URL) : "");
    }

    /** Opens a Media Streams WebSocket with this {@code x-twilio-signature} ("" for none). */
    Call connect(String signature) throws Exception {
        Call call = new Call();
        var builder = http.newWebSocketBuilder();
        if (!signature.isEmpty()) {
            builder.header("x-twilio-signature", signature);
        }
        call.ws = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/twilio/media"), call)
                .get(5, TimeUnit.SECONDS);
        return call;
    }

    /** The HTTP status of a refused upgrade, or 101 when the upgrade succeeded. */
    int upgradeStatus(String signature) throws Exception {
        try {
            connect(signature).ws.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /** One Media Streams connection, Twilio's side. */
    static final class Call implements WebSocket.Listener {
        private final TwilioCodec codec = TwilioCodec.create();
        private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
        private final List<TwilioMessage.Outbound> received = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private WebSocket ws;
        private long sequence = 1;
        private long chunk;
        private String streamSid = "MZ0000000000000000000000000000000";
        private String callSid = "";
        volatile boolean echoMarks = true;

        void start(String sid, Map<String, String> parameters) {
            this.callSid = sid;
            this.streamSid = "MZ" + sid.substring(2);
            String stream = streamSid;
            if (!raw(codec.encode(new TwilioMessage.Connected("Call", "1.0.0")))) {
                throw new IllegalStateException("connection closed");
            }
            send(seq -> new TwilioMessage.Start(seq, stream, ACCOUNT, sid, List.of(TwilioMessage.Track.INBOUND),
                    parameters, TwilioMessage.MediaFormat.MULAW_8K_MONO));
        }

        void audio(List<AudioFrame> frames) {
            for (AudioFrame f : frames) {
                byte[] mulaw = TwilioAudio.toMulaw(f);
                long c = ++chunk;
                send(seq -> new TwilioMessage.Media(seq, streamSid, TwilioMessage.Track.INBOUND, c, c * 20, mulaw));
            }
        }

        void dtmf(String digit) {
            send(seq -> new TwilioMessage.Dtmf(seq, streamSid, "inbound_track", digit));
        }

        void stop() {
            send(seq -> new TwilioMessage.Stop(seq, streamSid, ACCOUNT, callSid));
        }

        /** Sends any text; false once the connection refuses it (closed). */
        boolean raw(String text) {
            try {
                sender.submit(() -> ws.sendText(text, true).join()).get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        boolean binary(byte[] data) {
            try {
                sender.submit(() -> ws.sendBinary(ByteBuffer.wrap(data), true).join()).get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        /** Sends a message numbered on the sender thread, so numbers follow the order on the wire. */
        void send(java.util.function.LongFunction<TwilioMessage.Inbound> message) {
            try {
                sender.submit(() -> ws.sendText(codec.encode(message.apply(sequence++)), true).join())
                        .get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("connection closed", e);
            }
        }

        String streamSid() {
            return streamSid;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                var message = codec.decodeOutbound(partial.toString());
                partial.setLength(0);
                synchronized (received) {
                    received.add(message);
                    received.notifyAll();
                }
                if (message instanceof TwilioMessage.OutboundMark(String sid, String name) && echoMarks) {
                    sender.submit(() -> webSocket.sendText(
                            codec.encode(new TwilioMessage.Mark(sequence++, sid, name)), true).join());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }

        /** Waits until the server has sent a message matching {@code match}; returns everything received so far. */
        List<TwilioMessage.Outbound> awaitReceived(Predicate<List<TwilioMessage.Outbound>> match, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (received) {
                while (!match.test(received)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("timed out; received " + received.size() + " messages: "
                                + received.stream().map(m -> m.getClass().getSimpleName()).distinct().toList());
                    }
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                }
                return List.copyOf(received);
            }
        }

        List<TwilioMessage.Outbound> received() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }

        /** The close code the server sent (or -1 on an error); fails after the timeout. */
        int awaitClose(Duration timeout) {
            try {
                return closeCode.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                throw new AssertionError("connection not closed within " + timeout, e);
            }
        }

        boolean isClosed() {
            return closeCode.isDone();
        }

        void hangUp() {
            try {
                stop();
            } catch (IllegalStateException | CompletionException e) {
                // already closed by the server
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            sender.close();
        }
    }
}
