package dev.parley.testkit.fakes.cartesia;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What one fake Cartesia connection received and sent, for assertions. Thread-safe. */
public final class RecordedConnection {
    /** A generation input as received. */
    public record Input(String contextId, String transcript, boolean more, boolean flush) {}

    private final Map<String, String> headers;
    private final Map<String, List<String>> query;
    private final Signal signal;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<Input> inputs = new CopyOnWriteArrayList<>();
    private final List<String> cancels = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<String, Long> firstChunk = new ConcurrentHashMap<>();
    private final Map<String, Integer> chunks = new ConcurrentHashMap<>();
    private final Map<String, Integer> chunksAfterCancel = new ConcurrentHashMap<>();
    private volatile int closeStatus = -1;

    RecordedConnection(Map<String, String> headers, Map<String, List<String>> query, Signal signal) {
        this.headers = Map.copyOf(headers);
        this.query = Map.copyOf(query);
        this.signal = signal;
    }

    /** The upgrade's {@code X-API-Key}, {@code Authorization} and {@code Cartesia-Version} headers (those present). */
    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, List<String>> query() {
        return query;
    }

    /** Every text frame received, in order. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    public List<Input> inputs() {
        return List.copyOf(inputs);
    }

    public List<Input> inputs(String contextId) {
        return inputs.stream().filter(i -> i.contextId().equals(contextId)).toList();
    }

    /** Context ids in order of first input. */
    public List<String> contexts() {
        return List.copyOf(new LinkedHashSet<>(inputs.stream().map(Input::contextId).toList()));
    }

    /** The context's transcript: its pieces joined verbatim. */
    public String transcript(String contextId) {
        StringBuilder b = new StringBuilder();
        inputs(contextId).forEach(i -> b.append(i.transcript()));
        return b.toString();
    }

    /** Context ids cancelled, in order. */
    public List<String> cancels() {
        return List.copyOf(cancels);
    }

    /** Error messages the fake sent (their {@code message} text). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** When ({@code System.nanoTime()}) the first audio chunk of a context went out. */
    public Optional<Long> firstChunkSentAt(String contextId) {
        return Optional.ofNullable(firstChunk.get(contextId));
    }

    public int chunks(String contextId) {
        return chunks.getOrDefault(contextId, 0);
    }

    /** Chunks for a context sent after its cancel arrived (a faithful fake sends none). */
    public int chunksAfterCancel(String contextId) {
        return chunksAfterCancel.getOrDefault(contextId, 0);
    }

    /** The close code once the connection closed (1006 when it broke). */
    public OptionalInt closeStatus() {
        int s = closeStatus;
        return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
    }

    public void awaitCancel(String contextId, Duration timeout) {
        signal.await(() -> cancels.contains(contextId), timeout, "cancel of " + contextId);
    }

    public void awaitInputs(int n, Duration timeout) {
        signal.await(() -> inputs.size() >= n, timeout, n + " inputs");
    }

    public void awaitClosed(Duration timeout) {
        signal.await(() -> closeStatus >= 0, timeout, "connection close");
    }

    void message(String text) {
        messages.add(text);
        signal.signal();
    }

    void input(Input input) {
        inputs.add(input);
        signal.signal();
    }

    void cancel(String contextId) {
        cancels.add(contextId);
        signal.signal();
    }

    void error(String message) {
        errors.add(message);
        signal.signal();
    }

    void chunkSent(String contextId, long at, boolean afterCancel) {
        firstChunk.putIfAbsent(contextId, at);
        chunks.merge(contextId, 1, Integer::sum);
        if (afterCancel) {
            chunksAfterCancel.merge(contextId, 1, Integer::sum);
        }
        signal.signal();
    }

    void closed(int status) {
        closeStatus = status;
        signal.signal();
    }
}
