package dev.parley.testkit.fakes.deepgram;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What one {@code /v1/speak} connection saw and sent; times are {@link System#nanoTime()}. */
public final class RecordedSpeak {
    /** A client message: its type and, for Speak, its text. */
    public record Message(String type, String text, long receivedAt) {}

    private final Map<String, List<String>> query;
    private final String authorization;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Long> firstAudioAt = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AtomicLong audioBytes = new AtomicLong();
    private final AtomicLong flushed = new AtomicLong();
    private final AtomicLong cleared = new AtomicLong();
    private final Changes changes = new Changes();
    private volatile int closeCode = -1;

    RecordedSpeak(Map<String, List<String>> query, String authorization) {
        this.query = Map.copyOf(query);
        this.authorization = authorization;
    }

    public Map<String, List<String>> query() {
        return query;
    }

    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    public String authorization() {
        return authorization;
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public long count(String type) {
        return messages.stream().filter(m -> m.type().equals(type)).count();
    }

    /** All Speak text, concatenated. */
    public String spokenText() {
        var sb = new StringBuilder();
        messages.stream().filter(m -> m.type().equals("Speak")).forEach(m -> sb.append(m.text()));
        return sb.toString();
    }

    /** When the first audio frame of each accepted flush went out. */
    public List<Long> firstAudioSentAt() {
        return List.copyOf(firstAudioAt);
    }

    /** Warning descriptions sent (flush limit, bad messages). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public long audioBytesSent() {
        return audioBytes.get();
    }

    public long flushedSent() {
        return flushed.get();
    }

    public long clearedSent() {
        return cleared.get();
    }

    public OptionalInt closeCode() {
        return closeCode < 0 ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }

    public void awaitMessage(String type, int n, Duration timeout) {
        changes.await(() -> count(type) >= n, timeout, n + " " + type + " message(s)");
    }

    public void awaitClosed(Duration timeout) {
        changes.await(() -> closeCode >= 0, timeout, "the speak connection to close");
    }

    void message(String type, String text) {
        messages.add(new Message(type, text, System.nanoTime()));
        changes.signal();
    }

    void firstAudio(long at) {
        firstAudioAt.add(at);
        changes.signal();
    }

    void audio(int bytes) {
        audioBytes.addAndGet(bytes);
    }

    void warning(String description) {
        warnings.add(description);
        changes.signal();
    }

    void flushed() {
        flushed.incrementAndGet();
        changes.signal();
    }

    void cleared() {
        cleared.incrementAndGet();
        changes.signal();
    }

    void closed(int code) {
        if (closeCode < 0) {
            closeCode = code;
        }
        changes.signal();
    }
}
