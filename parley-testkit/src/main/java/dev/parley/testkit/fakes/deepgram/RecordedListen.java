package dev.parley.testkit.fakes.deepgram;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@code /v1/listen} connection saw and sent; times are {@link System#nanoTime()}. Safe to
 * read while the connection is live; the {@code await} methods wait for a condition.
 */
public final class RecordedListen {
    /** A client text message ({@code KeepAlive}, {@code Finalize}, {@code CloseStream}, …). */
    public record Control(String type, long receivedAt) {}

    /** A server message as sent; {@code isFinal}/{@code transcript} only for Results. */
    public record Sent(String type, boolean isFinal, String transcript, String json, long sentAt) {}

    private final Map<String, List<String>> query;
    private final String authorization;
    private final long openedAt = System.nanoTime();
    private final List<Control> controls = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicLong audioBytes = new AtomicLong();
    private final AtomicLong audioFrames = new AtomicLong();
    private final AtomicLong emptyFrames = new AtomicLong();
    private final Changes changes = new Changes();
    private volatile Duration audioTime = Duration.ZERO;
    private volatile int closeCode = -1;
    private volatile String closeReason = "";

    RecordedListen(Map<String, List<String>> query, String authorization) {
        this.query = Map.copyOf(query);
        this.authorization = authorization;
    }

    public Map<String, List<String>> query() {
        return query;
    }

    /** The first value of a query parameter. */
    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    public String authorization() {
        return authorization;
    }

    public long openedAt() {
        return openedAt;
    }

    public List<Control> controls() {
        return List.copyOf(controls);
    }

    /** How many control messages of a type arrived. */
    public long count(String type) {
        return controls.stream().filter(c -> c.type().equals(type)).count();
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Sent Results with {@code is_final:true}. */
    public List<Sent> finals() {
        return sent.stream().filter(Sent::isFinal).toList();
    }

    public long audioBytes() {
        return audioBytes.get();
    }

    public long audioFrames() {
        return audioFrames.get();
    }

    /** Audio received, by the declared encoding and rate. */
    public Duration audioTime() {
        return audioTime;
    }

    /** Zero-length binary frames received (a client bug; the fake closes the socket). */
    public long emptyFrames() {
        return emptyFrames.get();
    }

    /** The close code of the connection once closed (by either side), or empty while open. */
    public OptionalInt closeCode() {
        return closeCode < 0 ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }

    public String closeReason() {
        return closeReason;
    }

    /** Waits until {@code n} control messages of {@code type} have arrived. */
    public void awaitControl(String type, int n, Duration timeout) {
        changes.await(() -> count(type) >= n, timeout, n + " " + type + " message(s)");
    }

    /** Waits until the connection is closed. */
    public void awaitClosed(Duration timeout) {
        changes.await(() -> closeCode >= 0, timeout, "the listen connection to close");
    }

    /** Waits until {@code n} finals have been sent. */
    public void awaitFinals(int n, Duration timeout) {
        changes.await(() -> finals().size() >= n, timeout, n + " final result(s)");
    }

    void control(String type) {
        controls.add(new Control(type, System.nanoTime()));
        changes.signal();
    }

    void sent(Sent s) {
        sent.add(s);
        changes.signal();
    }

    void audio(int bytes, Duration total) {
        audioBytes.addAndGet(bytes);
        audioFrames.incrementAndGet();
        audioTime = total;
    }

    void emptyFrame() {
        emptyFrames.incrementAndGet();
        changes.signal();
    }

    void closed(int code, String reason) {
        if (closeCode < 0) {
            closeReason = reason;
            closeCode = code;
        }
        changes.signal();
    }
}
