package dev.parley.testkit.fakes.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.audio.G711;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One fake {@code stream-input} connection. Text is buffered and generated when the buffer crosses
 * the next {@code chunk_length_schedule} threshold, on {@code flush}, on {@code try_trigger_generation}
 * past 50 characters, or on EOS; each generation waits the time to first byte, then sends tone audio
 * ({@code speechPerCharacter} per character) in {@code chunk}-long messages with per-chunk character
 * alignment, faster than real time. EOS ends with {@code isFinal} and a 1000 close.
 */
final class StreamInputSession {
    record Settings(String apiKey, boolean acceptUnderscoreKey, Duration timeToFirstByte,
            Duration speechPerCharacter, double pacing, Duration chunk, boolean alignment, boolean finalNullOnAudio,
            boolean strictSpaces, Duration stallFor, AtomicReference<ElevenLabsFault> fault) {}

    private sealed interface Job {
        record Generate(String text) implements Job {}

        record Final() implements Job {}
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> DEFAULT_SCHEDULE = List.of(120, 160, 250, 290);

    private final Settings settings;
    private final RecordedStream record;
    private final Outbox out;
    private final int sampleRate;
    private final boolean ulaw;
    private final boolean headerAuthorized;
    private final Duration inactivity;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    // guarded by this
    private final StringBuilder buffer = new StringBuilder();
    private List<Integer> schedule = DEFAULT_SCHEDULE;
    private int step;
    private boolean started;
    private boolean ended;
    // worker only
    private long samplesOut;
    private volatile long lastInput = System.nanoTime();
    private volatile boolean stopped;

    StreamInputSession(Settings settings, WsContext ctx, RecordedStream record, String format, Duration inactivity) {
        this.settings = settings;
        this.record = record;
        this.out = new Outbox(ctx, "fake-elevenlabs-out");
        this.ulaw = format.startsWith("ulaw");
        this.sampleRate = Integer.parseInt(format.substring(format.indexOf('_') + 1));
        this.headerAuthorized = settings.apiKey().equals(record.apiKeyHeader());
        this.inactivity = inactivity;
        Thread.ofVirtual().name("fake-elevenlabs-generator").start(this::work);
    }

    RecordedStream record() {
        return record;
    }

    Outbox out() {
        return out;
    }

    synchronized void onText(String text) {
        lastInput = System.nanoTime();
        record.message(text);
        if (ended) {
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            n = null;
        }
        if (n == null || !n.isObject() || !n.path("text").isTextual()) {
            refuse("Could not parse input message, make sure it is a json and follows the schema outlined in "
                    + "protocol.", "invalid_input_message");
            return;
        }
        String t = n.path("text").asText();
        if (!started) {
            String key = n.path("xi-api-key").asText(settings.acceptUnderscoreKey()
                    ? n.path("xi_api_key").asText("") : "");
            if (!headerAuthorized && !settings.apiKey().equals(key)) {
                refuse("Invalid API key", "invalid_api_key");
                return;
            }
            if (!t.equals(" ")) {
                refuse("The first message must have text \" \" (a single space).", "invalid_input_message");
                return;
            }
            JsonNode sched = n.path("generation_config").path("chunk_length_schedule");
            if (sched.isArray() && !sched.isEmpty()) {
                List<Integer> s = new ArrayList<>();
                sched.forEach(v -> s.add(v.asInt()));
                schedule = List.copyOf(s);
            }
            started = true;
            return;
        }
        boolean flush = n.path("flush").asBoolean(false);
        record.text(t, flush);
        if (t.isEmpty()) { // EOS
            ended = true;
            generateBuffer();
            jobs.add(new Job.Final());
            return;
        }
        if (!t.endsWith(" ")) {
            record.warning("text without a trailing space: words may merge");
            if (settings.strictSpaces()) {
                refuse("Text must end with a space.", "invalid_input_message");
                return;
            }
        }
        buffer.append(t);
        if (flush || n.path("try_trigger_generation").asBoolean(false) && buffer.length() > 50) {
            generateBuffer();
        } else if (!buffer.toString().isBlank() && buffer.length() >= schedule.get(step)) {
            generateBuffer();
            step = Math.min(step + 1, schedule.size() - 1);
        }
    }

    /** Closes with 1008 if no input came for the inactivity timeout. */
    synchronized void checkInactivity(long now) {
        if (!ended && !stopped && now - lastInput > inactivity.toNanos()) {
            ended = true;
            out.close(1008, "Have not received a new text input within the timeout of " + inactivity.toSeconds()
                    + " seconds. Streaming input terminated. Please make sure to either feed the input in the "
                    + "timely manner, or to send the end of input text (empty string \"\") when done.");
        }
    }

    void stop() {
        stopped = true;
        jobs.add(new Job.Final());
        out.stop();
    }

    private void refuse(String message, String error) {
        ended = true;
        out.text(JSON.createObjectNode().put("message", message).put("error", error).put("code", 1008).toString());
        out.close(1008, message.length() > 100 ? message.substring(0, 100) : message);
    }

    private void generateBuffer() {
        if (!buffer.toString().isBlank()) {
            jobs.add(new Job.Generate(buffer.toString()));
        }
        buffer.setLength(0);
    }

    private void work() {
        try {
            while (!stopped) {
                switch (jobs.take()) {
                    case Job.Generate(var text) -> generate(text);
                    case Job.Final() -> {
                        if (!stopped) {
                            out.text("{\"isFinal\":true}", t -> record.markFinal());
                            out.close(1000, "");
                        }
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void generate(String raw) {
        String text = raw.strip() + " ";
        park(settings.timeToFirstByte().toNanos());
        int total = (int) (settings.speechPerCharacter().toNanos() * (text.length() - 1) * sampleRate
                / 1_000_000_000L);
        int chunk = (int) Math.max(1, settings.chunk().toNanos() * sampleRate / 1_000_000_000L);
        long pace = (long) (settings.chunk().toNanos() / settings.pacing());
        double perChar = (double) total / (text.length() - 1); // the trailing space gets no time
        int nextChar = 0;
        for (int at = 0; at < total && !stopped; at += chunk) {
            int n = Math.min(chunk, total - at);
            int from = nextChar;
            while (nextChar < text.length() && nextChar * perChar < at + n) {
                nextChar++;
            }
            if (at + n >= total) {
                nextChar = text.length();
            }
            ObjectNode m = JSON.createObjectNode().put("audio", Base64.getEncoder().encodeToString(audio(at, n)));
            if (settings.finalNullOnAudio()) {
                m.putNull("isFinal");
            }
            if (settings.alignment()) {
                alignment(m.putObject("alignment"), text, from, nextChar, at, perChar);
                alignment(m.putObject("normalizedAlignment"), text, from, nextChar, at, perChar);
            }
            boolean late = stopped;
            out.text(m.toString(), t -> record.chunkSent(t, late));
            if (at + n >= total / 2 && fault()) {
                return;
            }
            park(pace);
        }
        samplesOut += total;
    }

    private void alignment(ObjectNode a, String text, int from, int to, int chunkStart, double perChar) {
        ArrayNode chars = a.putArray("chars");
        ArrayNode starts = a.putArray("charStartTimesMs");
        ArrayNode durations = a.putArray("charDurationsMs");
        for (int i = from; i < to; i++) {
            chars.add(String.valueOf(text.charAt(i)));
            double start = Math.min(i * perChar, (text.length() - 1) * perChar);
            starts.add(Math.round(Math.max(0, start - chunkStart) * 1000 / sampleRate));
            durations.add(i == text.length() - 1 ? 0 : Math.round(perChar * 1000 / sampleRate));
        }
    }

    private boolean fault() {
        ElevenLabsFault f = settings.fault().get();
        if (f == ElevenLabsFault.NONE || !settings.fault().compareAndSet(f, ElevenLabsFault.NONE)) {
            return false;
        }
        switch (f) {
            case DROP -> {
                out.drop();
                return true;
            }
            case STALL -> park(settings.stallFor().toNanos());
            case MALFORMED -> out.text("{\"audio\":\"AAAA\",\"isFinal\":");
            case NONE -> { }
        }
        return false;
    }

    /** A 180 Hz tone with a little vibrato at about -18 dBFS, phase-continuous across messages. */
    private byte[] audio(int at, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = (double) (samplesOut + at + i) / sampleRate;
            s[i] = (short) Math.round(0.12 * 32767 * Math.sin(2 * Math.PI * (180 * t + 1.5 * Math.sin(2 * Math.PI
                    * 4 * t))));
        }
        if (ulaw) {
            return G711.encodeMuLaw(s);
        }
        byte[] b = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            b[2 * i] = (byte) s[i];
            b[2 * i + 1] = (byte) (s[i] >> 8);
        }
        return b;
    }

    private void park(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !stopped) {
            LockSupport.parkNanos(this, left);
        }
    }
}
