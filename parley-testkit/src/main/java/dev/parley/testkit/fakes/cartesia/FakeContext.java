package dev.parley.testkit.fakes.cartesia;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One fake Cartesia context. Text is buffered until a flush, the last input, or the buffer delay;
 * each generation waits the time to first byte, then sends tone audio ({@code speechPerCharacter}
 * per character) in {@code chunk}-long pieces faster than real time, with word timestamps just
 * before the audio they describe, then {@code flush_done} and/or {@code done}. A cancel stops it at
 * the next chunk.
 */
final class FakeContext {
    private sealed interface Job {
        record Generate(String text, boolean flush, boolean last, long epoch) implements Job {}

        record BufferTimeout(long seq, long epoch) implements Job {}

        record Stop() implements Job {}
    }

    private record Word(String word, long start, long end) {}

    private final CartesiaSession session;
    private final String id;
    private final String fields;
    private final int sampleRate;
    private final boolean timestamps;
    private final Duration bufferDelay;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    // guarded by this
    private final StringBuilder buffer = new StringBuilder();
    private long epoch;
    private boolean cancelled;
    private boolean lastReceived;
    private long bufferSeq;
    // worker thread only
    private long samplesOut;
    private long flushId;
    private volatile boolean stopped;

    FakeContext(CartesiaSession session, String id, String fields, int sampleRate, boolean timestamps,
            Duration bufferDelay) {
        this.session = session;
        this.id = id;
        this.fields = fields;
        this.sampleRate = sampleRate;
        this.timestamps = timestamps;
        this.bufferDelay = bufferDelay;
        Thread.ofVirtual().name("fake-cartesia-context").start(this::work);
    }

    String fields() {
        return fields;
    }

    synchronized void input(String transcript, boolean more, boolean flush) {
        if (cancelled) {
            return;
        }
        if (lastReceived) {
            session.error(id, 400, "invalid_request", "Context finished",
                    "Context " + id + " has already received its last input and cannot continue.");
            return;
        }
        buffer.append(transcript);
        if (flush || !more) {
            jobs.add(new Job.Generate(buffer.toString(), flush, !more, epoch));
            buffer.setLength(0);
            lastReceived = !more;
        } else if (bufferDelay.isZero()) {
            jobs.add(new Job.Generate(buffer.toString(), false, false, epoch));
            buffer.setLength(0);
        } else {
            long seq = ++bufferSeq;
            long e = epoch;
            Thread.ofVirtual().start(() -> {
                park(bufferDelay.toNanos());
                jobs.add(new Job.BufferTimeout(seq, e));
            });
        }
    }

    synchronized void cancel() {
        cancelled = true;
        epoch++;
        buffer.setLength(0);
        jobs.clear();
    }

    void stop() {
        stopped = true;
        jobs.add(new Job.Stop());
    }

    private synchronized boolean current(long jobEpoch) {
        return jobEpoch == epoch && !stopped;
    }

    private void work() {
        try {
            while (!stopped) {
                switch (jobs.take()) {
                    case Job.Generate(var text, var flush, var last, var e) -> generate(text, flush, last, e);
                    case Job.BufferTimeout(var seq, var e) -> {
                        String text;
                        synchronized (this) {
                            if (seq != bufferSeq || e != epoch || buffer.isEmpty()) {
                                continue;
                            }
                            text = buffer.toString();
                            buffer.setLength(0);
                        }
                        generate(text, false, false, e);
                    }
                    case Job.Stop() -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void generate(String text, boolean flush, boolean last, long jobEpoch) {
        CartesiaSession.Settings s = session.settings();
        String spoken = text.strip();
        if (!spoken.isEmpty()) {
            park(s.timeToFirstByte().toNanos());
            int total = (int) (s.speechPerCharacter().toNanos() * spoken.length() * sampleRate / 1_000_000_000L);
            List<Word> words = words(spoken, samplesOut, total);
            int chunk = (int) Math.max(1, s.chunk().toNanos() * sampleRate / 1_000_000_000L);
            long pace = (long) (s.chunk().toNanos() / s.pacing());
            int nextWord = 0;
            for (int at = 0; at < total; at += chunk) {
                int n = Math.min(chunk, total - at);
                long end = samplesOut + at + n;
                synchronized (this) {
                    if (!current(jobEpoch)) {
                        return; // cancelled: nothing more for this context
                    }
                    int from = nextWord;
                    while (timestamps && nextWord < words.size() && words.get(nextWord).start() < end) {
                        nextWord++;
                    }
                    if (nextWord > from) {
                        session.out().text(timestampsMessage(words.subList(from, nextWord)));
                    }
                    boolean afterCancel = cancelled;
                    session.out().text(chunkMessage(tone(samplesOut + at, n)),
                            t -> session.record().chunkSent(id, t, afterCancel));
                }
                if (at + n >= total / 2 && fault(s)) {
                    return;
                }
                park(pace);
            }
            samplesOut += total;
        }
        synchronized (this) {
            if (!current(jobEpoch)) {
                return;
            }
            if (flush) {
                session.out().text(CartesiaSession.JSON.createObjectNode().put("type", "flush_done")
                        .put("done", false).put("flush_done", true).put("flush_id", ++flushId)
                        .put("status_code", 206).put("context_id", id).toString());
            }
            if (last) {
                session.sendDone(id);
            }
        }
    }

    /** Applies the armed one-shot fault, if any; returns whether this generation must stop. */
    private boolean fault(CartesiaSession.Settings s) {
        CartesiaFault f = s.fault().get();
        if (f == CartesiaFault.NONE || !s.fault().compareAndSet(f, CartesiaFault.NONE)) {
            return false;
        }
        switch (f) {
            case DROP -> {
                session.out().drop();
                return true;
            }
            case STALL -> park(s.stallFor().toNanos());
            case MALFORMED -> session.out().text("{\"type\":\"chunk\",\"data\":");
            case ERROR -> {
                session.error(id, 500, "internal_error", "Internal error", "Generation failed.");
                synchronized (this) {
                    epoch++;
                }
                return true;
            }
            case NONE -> { }
        }
        return false;
    }

    /** Words with sample offsets: each word's share of the audio is its length plus one (a space). */
    private static List<Word> words(String spoken, long offset, int total) {
        String[] parts = spoken.split("\\s+");
        int weight = 0;
        for (String p : parts) {
            weight += p.length() + 1;
        }
        List<Word> out = new ArrayList<>(parts.length);
        long at = 0;
        for (String p : parts) {
            long len = (long) total * (p.length() + 1) / weight;
            long speech = (long) total * p.length() / weight;
            out.add(new Word(p, offset + at, offset + at + speech));
            at += len;
        }
        return out;
    }

    private String timestampsMessage(List<Word> words) {
        ObjectNode n = CartesiaSession.JSON.createObjectNode().put("type", "timestamps").put("done", false)
                .put("status_code", 206).put("context_id", id);
        ObjectNode wt = n.putObject("word_timestamps");
        ArrayNode w = wt.putArray("words");
        ArrayNode start = wt.putArray("start");
        ArrayNode end = wt.putArray("end");
        for (Word word : words) {
            w.add(word.word());
            start.add((double) word.start() / sampleRate);
            end.add((double) word.end() / sampleRate);
        }
        return n.toString();
    }

    private String chunkMessage(byte[] pcm) {
        return CartesiaSession.JSON.createObjectNode().put("type", "chunk")
                .put("data", Base64.getEncoder().encodeToString(pcm)).put("done", false).put("status_code", 206)
                .put("step_time", 12).put("context_id", id).toString();
    }

    /** A 200 Hz tone with a slow tremolo at about -18 dBFS; {@code offset} keeps the phase continuous. */
    private byte[] tone(long offset, int n) {
        byte[] b = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            double t = (double) (offset + i) / sampleRate;
            double v = 0.12 * (0.8 + 0.2 * Math.sin(2 * Math.PI * 3 * t)) * Math.sin(2 * Math.PI * 200 * t);
            short s = (short) Math.round(v * 32767);
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
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
