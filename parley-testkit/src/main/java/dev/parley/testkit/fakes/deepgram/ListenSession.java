package dev.parley.testkit.fakes.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.G711;
import dev.parley.audio.Pcm;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One fake {@code /v1/listen} connection. Audio is cut into 10 ms blocks; a block above the speech
 * threshold is speech. Each stretch of speech is the next scripted utterance: interims reveal its
 * words as speech goes on, the final carries all of it (after the STT final latency). All times in
 * messages are audio-stream seconds. Jetty calls the handlers one at a time; the idle check comes
 * from another thread, hence {@code synchronized}.
 */
final class ListenSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double BLOCK = 0.010;
    private static final double SECONDS_PER_WORD = 0.3;
    private static final double INTERNAL_SEGMENT_GAP = 0.3;

    private final Settings settings;
    private final RecordedListen record;
    private final Outbox out;
    private final String requestId = UUID.randomUUID().toString();
    private final AudioFormat.Encoding encoding;
    private final int sampleRate;
    private final boolean interims;
    private final double endpointing; // < 0: endpointing=false
    private final double utteranceEnd; // < 0: off
    private final boolean vadEvents;

    private long samples;
    private int utteranceIndex;
    private boolean spanOpen;
    private String[] words = new String[0];
    private double spanStart;
    private double lastVoicedEnd;
    private double lastInterimAt;
    private double lastResultEnd;
    private boolean utteranceEndPending;
    private double lastFinalWordEnd;
    private boolean faultDone;
    private boolean closing;
    private long lastActivity = System.nanoTime();

    ListenSession(Settings settings, WsContext ctx, RecordedListen record) {
        this.settings = settings;
        this.record = record;
        this.out = new Outbox(ctx, "fake-deepgram-listen");
        this.encoding = switch (record.param("encoding").orElse("linear16")) {
            case "mulaw" -> AudioFormat.Encoding.MULAW;
            case "alaw" -> AudioFormat.Encoding.ALAW;
            default -> AudioFormat.Encoding.PCM16;
        };
        this.sampleRate = Integer.parseInt(record.param("sample_rate").orElse("16000"));
        this.interims = record.param("interim_results").orElse("false").equals("true");
        String ep = record.param("endpointing").orElse("10");
        this.endpointing = ep.equals("false") ? -1 : Double.parseDouble(ep) / 1000;
        this.utteranceEnd = record.param("utterance_end_ms").map(v -> Double.parseDouble(v) / 1000).orElse(-1.0);
        this.vadEvents = record.param("vad_events").orElse("false").equals("true");
    }

    synchronized void onBinary(ByteBuffer data) {
        if (closing) {
            return;
        }
        lastActivity = System.nanoTime();
        if (!data.hasRemaining()) {
            record.emptyFrame();
            closing = true;
            out.close(1011, "empty binary frame: clients must never send one", Duration.ZERO);
            return;
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        short[] pcm = encoding == AudioFormat.Encoding.PCM16 ? Pcm.fromBytesLE(bytes)
                : G711.decode(bytes, encoding);
        int block = (int) Math.round(sampleRate * BLOCK);
        for (int at = 0; at < pcm.length; at += block) {
            int n = Math.min(block, pcm.length - at);
            double t0 = now();
            samples += n;
            onBlock(t0, now(), Pcm.levelDbfs(pcm, at, n) > settings.speechThresholdDbfs());
        }
        record.audio(bytes.length, Duration.ofNanos(samples * 1_000_000_000L / sampleRate));
    }

    synchronized void onText(String text) {
        if (closing) {
            return;
        }
        String type;
        try {
            JsonNode node = JSON.readTree(text);
            type = node.path("type").asText("");
        } catch (Exception e) {
            type = "(not JSON)";
        }
        record.control(type);
        switch (type) {
            case "KeepAlive" -> lastActivity = System.nanoTime();
            case "Finalize" -> finalizeNow(true);
            case "CloseStream" -> {
                closing = true;
                finalizeNow(true);
                ObjectNode m = JSON.createObjectNode().put("type", "Metadata").put("transaction_key", "deprecated")
                        .put("request_id", requestId).put("sha256", "0".repeat(64))
                        .put("created", Instant.now().toString()).put("duration", round(now())).put("channels", 1);
                send(m, Duration.ZERO);
                out.close(1000, "", Duration.ZERO);
            }
            default -> { } // unknown messages are ignored, like the real service does with extra fields
        }
    }

    /** Called every few ms from the server's timer: the 10 s (configurable) no-audio rule. */
    synchronized void checkIdle(long nowNanos) {
        if (!closing && nowNanos - lastActivity > settings.idleTimeout().toNanos()) {
            closing = true;
            out.close(1011, "NET-0001", Duration.ZERO);
        }
    }

    RecordedListen record() {
        return record;
    }

    void stop() {
        out.stop();
    }

    private void onBlock(double t0, double t1, boolean voiced) {
        if (voiced) {
            if (!spanOpen) {
                spanOpen = true;
                spanStart = t0;
                lastInterimAt = t0;
                utteranceEndPending = false;
                words = nextUtterance().split("\\s+");
                if (vadEvents) {
                    send(JSON.createObjectNode().put("type", "SpeechStarted").<ObjectNode>set("channel", channel())
                            .put("timestamp", round(t0)), Duration.ZERO);
                }
            }
            lastVoicedEnd = t1;
            if (interims && t1 - lastInterimAt >= settings.interimEvery().toNanos() / 1e9) {
                lastInterimAt = t1;
                int n = (int) Math.max(1, Math.min(words.length, Math.round((t1 - spanStart) / SECONDS_PER_WORD)));
                send(results(List.of(words).subList(0, n), spanStart, t1, false, false, false, spanStart, t1),
                        Duration.ZERO);
                injectFault();
            }
            return;
        }
        if (spanOpen) {
            double gap = endpointing >= 0 ? endpointing : INTERNAL_SEGMENT_GAP;
            if (t1 - lastVoicedEnd >= gap) {
                finalSpan(endpointing >= 0, false, t1);
            }
        } else if (t1 - lastResultEnd >= settings.silenceFinalEvery().toNanos() / 1e9) {
            send(results(List.of(), lastResultEnd, t1, true, false, false, 0, 0), Duration.ZERO);
            lastResultEnd = t1;
        }
        if (utteranceEndPending && t1 - lastFinalWordEnd >= utteranceEnd) {
            utteranceEndPending = false;
            send(JSON.createObjectNode().put("type", "UtteranceEnd").<ObjectNode>set("channel", channel())
                    .put("last_word_end", round(lastFinalWordEnd)), settings.finalLatency());
        }
    }

    private void finalizeNow(boolean fromFinalize) {
        double t = now();
        if (spanOpen) {
            finalSpan(false, fromFinalize, t);
        } else if (t > lastResultEnd) {
            send(results(List.of(), lastResultEnd, t, true, false, fromFinalize, 0, 0), settings.finalLatency());
            lastResultEnd = t;
        }
    }

    private void finalSpan(boolean speechFinal, boolean fromFinalize, double t) {
        spanOpen = false;
        send(results(List.of(words), lastResultEnd, t, true, speechFinal, fromFinalize, spanStart, lastVoicedEnd),
                settings.finalLatency());
        lastResultEnd = t;
        lastFinalWordEnd = lastVoicedEnd;
        utteranceEndPending = utteranceEnd > 0 && interims;
    }

    private String nextUtterance() {
        List<String> script = settings.utterances();
        if (script.isEmpty()) {
            return "hello";
        }
        return script.get(utteranceIndex++ % script.size());
    }

    private void injectFault() {
        if (faultDone) {
            return;
        }
        faultDone = true;
        switch (settings.listenFault()) {
            case NONE -> { }
            case DROP -> out.drop();
            case MALFORMED -> out.text("{\"type\":\"Results\",\"channel\":{\"alternatives\":[{\"transcr");
            case STALL -> out.stall(settings.stallFor());
            case DATA_ERROR -> out.close(1008, "DATA-0000", Duration.ZERO);
        }
    }

    private ObjectNode results(List<String> tokens, double start, double end, boolean isFinal, boolean speechFinal,
            boolean fromFinalize, double wordsFrom, double wordsTo) {
        ObjectNode r = JSON.createObjectNode().put("type", "Results");
        r.set("channel_index", channel());
        r.put("duration", round(end - start)).put("start", round(start)).put("is_final", isFinal)
                .put("speech_final", speechFinal).put("from_finalize", fromFinalize);
        ObjectNode alt = JSON.createObjectNode().put("transcript", String.join(" ", tokens))
                .put("confidence", tokens.isEmpty() ? 0 : 0.97);
        ArrayNode ws = alt.putArray("words");
        double per = tokens.isEmpty() ? 0 : (wordsTo - wordsFrom) / tokens.size();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            ws.addObject().put("word", token.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']", ""))
                    .put("start", round(wordsFrom + i * per)).put("end", round(wordsFrom + (i + 1) * per))
                    .put("confidence", 0.97).put("punctuated_word", token);
        }
        r.putObject("channel").putArray("alternatives").add(alt);
        r.putObject("metadata").put("request_id", requestId).put("model_uuid", "00000000-fake")
                .putObject("model_info").put("name", "fake-" + record.param("model").orElse("nova-3"))
                .put("version", "fake").put("arch", "fake");
        return r;
    }

    private void send(ObjectNode message, Duration delay) {
        String json = message.toString();
        String type = message.path("type").asText();
        boolean isFinal = message.path("is_final").asBoolean(false);
        String transcript = message.path("channel").path("alternatives").path(0).path("transcript").asText("");
        out.text(json, delay, at -> record.sent(new RecordedListen.Sent(type, isFinal, transcript, json, at)));
    }

    private ArrayNode channel() {
        return JSON.createArrayNode().add(0).add(1);
    }

    private double now() {
        return (double) samples / sampleRate;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
