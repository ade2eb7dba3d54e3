package dev.parley.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.AudioFrame;
import dev.parley.audio.G711;
import dev.parley.audio.Pcm;
import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny stand-in for a Parley server, for testing the simulator: validates both signatures,
 * answers TwiML, and on the stream answers each caller turn (energy above -40 dBFS, ended by 300 ms
 * of silence) with {@code replyChunks} × 200 ms of a 440 Hz tone, each chunk followed by a mark; it
 * sends {@code clear} when the caller speaks (two voiced frames) while marks are outstanding.
 * Everything it sees is recorded with {@link System#nanoTime()}, the simulator's clock.
 */
final class TwilioCallerFakeServer implements AutoCloseable {
    static final String TOKEN = "fake-auth-token";
    static final Duration CHUNK = Duration.ofMillis(200);
    private static final int SILENT_FRAMES_TO_END_TURN = 15;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode { CONNECT, REJECT_BUSY, CLOSE_AFTER_FIRST_REPLY }

    record SentMark(String name, long sentAt, Duration audioBefore) {}

    record Clear(long at, List<String> pending) {}

    private final Javalin app;
    private final Mode mode;
    private final int replyChunks;
    private final byte[] chunk;

    // observations
    final List<Map<String, String>> webhooks = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<JsonNode> starts = new CopyOnWriteArrayList<>();
    final List<Long> sequenceNumbers = new CopyOnWriteArrayList<>();
    final List<Long> chunks = new CopyOnWriteArrayList<>();
    final List<Long> timestamps = new CopyOnWriteArrayList<>();
    final List<Integer> payloadSizes = new CopyOnWriteArrayList<>();
    final List<Long> mediaReceivedAt = new CopyOnWriteArrayList<>();
    final List<SentMark> marksSent = new CopyOnWriteArrayList<>();
    final Map<String, Long> markEchoedAt = new ConcurrentHashMap<>();
    final List<Clear> clears = new CopyOnWriteArrayList<>();
    final StringBuffer dtmf = new StringBuffer();
    volatile boolean streamSignatureValid;

    TwilioCallerFakeServer(Mode mode, int replyChunks) {
        this.mode = mode;
        this.replyChunks = replyChunks;
        List<AudioFrame> tone = TestAudio.tone(CHUNK, 8000, 440, -20);
        short[] pcm = new short[tone.stream().mapToInt(AudioFrame::length).sum()];
        int at = 0;
        for (AudioFrame f : tone) {
            System.arraycopy(f.samples(), 0, pcm, at, f.length());
            at += f.length();
        }
        this.chunk = G711.encodeMuLaw(pcm);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/twilio/voice", ctx -> {
                Map<String, String> params = new HashMap<>();
                ctx.formParamMap().forEach((k, v) -> params.put(k, v.getFirst()));
                String expected = TwilioCallerSimulator.signature(TOKEN, base() + "/twilio/voice", params);
                if (!expected.equals(ctx.header("X-Twilio-Signature"))) {
                    throw new ForbiddenResponse("bad signature");
                }
                webhooks.add(params);
                ctx.contentType("text/xml").result(switch (this.mode) {
                    case REJECT_BUSY -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject reason=\"busy\"/></Response>";
                    case CONNECT, CLOSE_AFTER_FIRST_REPLY -> """
                            <?xml version="1.0" encoding="UTF-8"?>
                            <Response><Connect><Stream url="%s">
                            <Parameter name="tenant" value="acme"/><Parameter name="callToken" value="t-1"/>
                            </Stream></Connect></Response>""".formatted(streamUrl());
                });
            });
            config.routes.wsBeforeUpgrade("/twilio/media", ctx -> {
                String expected = TwilioCallerSimulator.signature(TOKEN, streamUrl(), Map.of());
                streamSignatureValid = expected.equals(ctx.header("x-twilio-signature"));
                if (!streamSignatureValid) {
                    throw new ForbiddenResponse("bad stream signature");
                }
            });
            config.routes.ws("/twilio/media", ws -> {
                Stream stream = new Stream();
                ws.onMessage(ctx -> stream.onMessage(ctx, JSON.readTree(ctx.message())));
            });
        });
        app.start("127.0.0.1", 0);
    }

    String base() {
        return "http://127.0.0.1:" + app.port();
    }

    URI baseUri() {
        return URI.create(base());
    }

    String streamUrl() {
        return "ws://127.0.0.1:" + app.port() + "/twilio/media";
    }

    /** Per-connection state; Jetty calls a session's handlers one at a time. */
    private final class Stream {
        private String streamSid = "";
        private boolean callerSpeaking;
        private int voicedRun;
        private int silentRun;
        private boolean clearedThisTurn;
        private int replies;
        private final List<String> outstanding = new ArrayList<>();

        void onMessage(WsContext ctx, JsonNode msg) {
            long now = System.nanoTime();
            String event = msg.path("event").asText();
            events.add(event);
            if (!event.equals("connected")) {
                sequenceNumbers.add(Long.parseLong(msg.path("sequenceNumber").asText()));
            }
            switch (event) {
                case "start" -> {
                    starts.add(msg);
                    streamSid = msg.path("streamSid").asText();
                }
                case "media" -> {
                    mediaReceivedAt.add(now);
                    chunks.add(Long.parseLong(msg.at("/media/chunk").asText()));
                    timestamps.add(Long.parseLong(msg.at("/media/timestamp").asText()));
                    byte[] payload = Base64.getDecoder().decode(msg.at("/media/payload").asText());
                    payloadSizes.add(payload.length);
                    onCallerFrame(ctx, payload, now);
                }
                case "mark" -> {
                    String name = msg.at("/mark/name").asText();
                    markEchoedAt.put(name, now);
                    outstanding.remove(name);
                    if (mode == Mode.CLOSE_AFTER_FIRST_REPLY && replies == 1 && outstanding.isEmpty()) {
                        ctx.closeSession();
                    }
                }
                case "dtmf" -> dtmf.append(msg.at("/dtmf/digit").asText());
                default -> { }
            }
        }

        private void onCallerFrame(WsContext ctx, byte[] payload, long now) {
            short[] pcm = G711.decodeMuLaw(payload);
            boolean voiced = Pcm.levelDbfs(pcm, 0, pcm.length) > TestAudio.SPEECH_THRESHOLD_DBFS;
            if (voiced) {
                callerSpeaking = true;
                voicedRun++;
                silentRun = 0;
                if (!outstanding.isEmpty() && voicedRun >= 2 && !clearedThisTurn) {
                    ctx.send("{\"event\":\"clear\",\"streamSid\":\"" + streamSid + "\"}");
                    clears.add(new Clear(now, List.copyOf(outstanding)));
                    clearedThisTurn = true;
                }
            } else if (callerSpeaking && ++silentRun >= SILENT_FRAMES_TO_END_TURN) {
                callerSpeaking = false;
                voicedRun = 0;
                clearedThisTurn = false;
                reply(ctx);
            }
        }

        private void reply(WsContext ctx) {
            replies++;
            long now = System.nanoTime();
            String payload = Base64.getEncoder().encodeToString(chunk);
            for (int i = 0; i < replyChunks; i++) {
                ctx.send("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"payload\":\"" + payload + "\"}}");
                String name = "r" + replies + "-" + i;
                ctx.send("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"" + name + "\"}}");
                marksSent.add(new SentMark(name, now, CHUNK.multipliedBy(i + 1)));
                outstanding.add(name);
            }
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
