package dev.parley.testkit.fakes.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.G711;
import dev.parley.audio.Pcm;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One fake {@code /v1/speak} connection. Speak text is buffered; each Flush becomes a job for the
 * generator thread: after the time to first byte, tone audio of {@code speechPerCharacter} per
 * character goes out in frames, faster than real time by {@code speakPacing}, then
 * {@code Flushed}. Clear stops the current job at the next frame and answers {@code Cleared};
 * Close lets queued jobs finish, then closes with 1000. Flushed and Cleared share one sequence.
 */
final class SpeakSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WINDOW = Duration.ofSeconds(60).toNanos();

    private sealed interface Job {
        record Speak(String text, long epoch) implements Job {}

        record Close() implements Job {}
    }

    private final Settings settings;
    private final RecordedSpeak record;
    private final Outbox out;
    private final AudioFormat.Encoding encoding;
    private final int sampleRate;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final ArrayDeque<Long> flushTimes = new ArrayDeque<>();
    private final StringBuilder buffer = new StringBuilder();
    private long epoch;
    private long sequence;
    private boolean faultDone;
    private volatile boolean stopped;
    private final Thread generator;

    SpeakSession(Settings settings, WsContext ctx, RecordedSpeak record) {
        this.settings = settings;
        this.record = record;
        this.out = new Outbox(ctx, "fake-deepgram-speak");
        this.encoding = switch (record.param("encoding").orElse("linear16")) {
            case "mulaw" -> AudioFormat.Encoding.MULAW;
            case "alaw" -> AudioFormat.Encoding.ALAW;
            default -> AudioFormat.Encoding.PCM16;
        };
        this.sampleRate = Integer.parseInt(record.param("sample_rate").orElse("24000"));
        out.text(JSON.createObjectNode().put("type", "Metadata").put("request_id", UUID.randomUUID().toString())
                .put("model_name", record.param("model").orElse("aura-2-thalia-en")).put("model_version", "fake")
                .put("model_uuid", "00000000-fake").toString());
        this.generator = Thread.ofVirtual().name("fake-deepgram-speak-generator").start(this::generate);
    }

    synchronized void onText(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            node = JSON.createObjectNode();
        }
        String type = node.path("type").asText("");
        record.message(type, node.path("text").asText(""));
        switch (type) {
            case "Speak" -> buffer.append(node.path("text").asText(""));
            case "Flush" -> flush();
            case "Clear" -> {
                epoch++;
                buffer.setLength(0);
                jobs.removeIf(j -> j instanceof Job.Speak);
                long seq = sequence++;
                out.text(JSON.createObjectNode().put("type", "Cleared").put("sequence_id", seq).toString(),
                        settings.clearDelay(), at -> record.cleared());
            }
            case "Close" -> jobs.add(new Job.Close());
            default -> warning("Unknown message type '" + type + "'", "INVALID_MESSAGE");
        }
    }

    void onBinary() {
        record.message("(binary)", "");
        warning("Binary messages are not accepted on the speak stream", "INVALID_MESSAGE");
    }

    RecordedSpeak record() {
        return record;
    }

    void stop() {
        stopped = true;
        out.stop();
        jobs.add(new Job.Close());
        LockSupport.unpark(generator);
    }

    private void flush() {
        long now = System.nanoTime();
        while (!flushTimes.isEmpty() && now - flushTimes.peekFirst() >= WINDOW) {
            flushTimes.pollFirst();
        }
        if (flushTimes.size() >= settings.maxFlushesPerMinute()) {
            warning("Flush limit exceeded: at most " + settings.maxFlushesPerMinute() + " flushes per 60 seconds",
                    "FLUSH_LIMIT_EXCEEDED");
            return;
        }
        flushTimes.addLast(now);
        jobs.add(new Job.Speak(buffer.toString(), epoch));
        buffer.setLength(0);
    }

    private void warning(String description, String code) {
        record.warning(description);
        out.text(JSON.createObjectNode().put("type", "Warning").put("description", description).put("code", code)
                .toString());
    }

    private synchronized boolean current(long jobEpoch) {
        return jobEpoch == epoch && !stopped;
    }

    private void generate() {
        try {
            while (!stopped) {
                switch (jobs.take()) {
                    case Job.Close() -> {
                        out.close(1000, "", Duration.ZERO);
                        return;
                    }
                    case Job.Speak(var text, var jobEpoch) -> speak(text, jobEpoch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void speak(String text, long jobEpoch) {
        park(settings.timeToFirstByte().toNanos());
        AudioFormat format = new AudioFormat(sampleRate, encoding);
        int total = format.samplesFor(settings.speechPerCharacter().multipliedBy(text.strip().length()));
        int frame = Math.max(1, format.samplesFor(settings.speakFrame()));
        long pace = (long) (settings.speakFrame().toNanos() / settings.speakPacing());
        boolean first = true;
        for (int at = 0; at < total; at += frame) {
            int n = Math.min(frame, total - at);
            byte[] bytes = encode(tone(at, n));
            synchronized (this) {
                if (!current(jobEpoch)) {
                    return; // cleared: the rest of this job is never sent
                }
                out.binary(bytes, first ? record::firstAudio : null);
            }
            record.audio(bytes.length);
            first = false;
            if (at + n >= total / 2 && !faultDone && settings.speakFault() != SpeakFault.NONE) {
                faultDone = true;
                switch (settings.speakFault()) {
                    case DROP -> {
                        out.drop();
                        return;
                    }
                    case MALFORMED -> out.text("{\"type\":\"Flushed\",\"sequence_id\":");
                    case STALL -> park(settings.stallFor().toNanos());
                    case NONE -> { }
                }
            }
            park(pace);
        }
        synchronized (this) {
            if (current(jobEpoch)) {
                long seq = sequence++;
                out.text(JSON.createObjectNode().put("type", "Flushed").put("sequence_id", seq).toString(),
                        Duration.ZERO, at -> record.flushed());
            }
        }
    }

    /** A 220 Hz tone with a little vibrato at -20 dBFS; {@code offset} keeps the phase continuous. */
    private short[] tone(int offset, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = (double) (offset + i) / sampleRate;
            double phase = 2 * Math.PI * (220 * t + 2 * Math.sin(2 * Math.PI * 5 * t));
            s[i] = (short) Math.round(0.14 * 32767 * Math.sin(phase));
        }
        return s;
    }

    private byte[] encode(short[] pcm) {
        return encoding == AudioFormat.Encoding.PCM16 ? Pcm.toBytesLE(pcm) : G711.encode(pcm, encoding);
    }

    private void park(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !stopped) {
            LockSupport.parkNanos(this, left);
        }
    }
}
