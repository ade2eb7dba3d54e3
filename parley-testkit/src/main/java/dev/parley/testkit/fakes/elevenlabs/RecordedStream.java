package dev.parley.testkit.fakes.elevenlabs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/** What one fake {@code stream-input} connection received and sent, for assertions. Thread-safe. */
public final class RecordedStream {
    private final String voiceId;
    private final Map<String, List<String>> query;
    private final String apiKeyHeader;
    private final Signal signal;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private volatile int flushes;
    private volatile int keepAlives;
    private volatile int chunks;
    private volatile int chunksAfterClose;
    private volatile long firstChunkAt;
    private volatile boolean finalSent;
    private volatile boolean clientClosed;
    private volatile int closeStatus = -1;

    RecordedStream(String voiceId, Map<String, List<String>> query, String apiKeyHeader, Signal signal) {
        this.voiceId = voiceId;
        this.query = Map.copyOf(query);
        this.apiKeyHeader = apiKeyHeader;
        this.signal = signal;
    }

    public String voiceId() {
        return voiceId;
    }

    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    /** The {@code xi-api-key} upgrade header ("" if absent). */
    public String apiKeyHeader() {
        return apiKeyHeader;
    }

    /** Every text frame received, in order (the BOS first). */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The {@code text} of each message after the BOS, keep-alives and EOS included. */
    public List<String> texts() {
        return List.copyOf(texts);
    }

    /** All text received after the BOS, joined. */
    public String transcript() {
        return String.join("", texts);
    }

    public int flushes() {
        return flushes;
    }

    /** Messages whose text was a single space (after the BOS) without a flush. */
    public int keepAlives() {
        return keepAlives;
    }

    /** Protocol complaints (e.g. a text without its trailing space). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public int chunks() {
        return chunks;
    }

    /** Audio messages queued after the client closed the socket (a faithful fake sends none). */
    public int chunksAfterClose() {
        return chunksAfterClose;
    }

    /** When ({@code System.nanoTime()}) the first audio message went out. */
    public Optional<Long> firstChunkSentAt() {
        long t = firstChunkAt;
        return t == 0 ? Optional.empty() : Optional.of(t);
    }

    public boolean finalSent() {
        return finalSent;
    }

    /** Whether the client closed the socket before {@code isFinal} (how barge-in looks here). */
    public boolean closedByClientEarly() {
        return clientClosed && !finalSent;
    }

    public OptionalInt closeStatus() {
        int s = closeStatus;
        return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
    }

    public void awaitClosed(Duration timeout) {
        signal.await(() -> closeStatus >= 0, timeout, "stream close");
    }

    public void awaitMessages(int n, Duration timeout) {
        signal.await(() -> messages.size() >= n, timeout, n + " messages");
    }

    public void awaitKeepAlives(int n, Duration timeout) {
        signal.await(() -> keepAlives >= n, timeout, n + " keep-alives");
    }

    void message(String raw) {
        messages.add(raw);
        signal.signal();
    }

    void text(String text, boolean flush) {
        texts.add(text);
        if (flush) {
            flushes++;
        } else if (text.equals(" ")) {
            keepAlives++;
        }
        signal.signal();
    }

    void warning(String w) {
        warnings.add(w);
        signal.signal();
    }

    void chunkSent(long at, boolean afterClose) {
        if (firstChunkAt == 0) {
            firstChunkAt = at;
        }
        chunks++;
        if (afterClose) {
            chunksAfterClose++;
        }
        signal.signal();
    }

    void markFinal() {
        finalSent = true;
        signal.signal();
    }

    void closed(int status, boolean byClient) {
        clientClosed = byClient;
        closeStatus = status;
        signal.signal();
    }
}
