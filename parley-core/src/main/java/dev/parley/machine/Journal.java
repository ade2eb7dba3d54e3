package dev.parley.machine;

import dev.parley.internal.Json;
import dev.parley.internal.RecordJson;
import dev.parley.CallPolicy;
import dev.parley.ParleyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The call journal: one JSON line per signal with its arrival time and the effects it caused, after a header line
 * with the call's policy. {@link #replay} feeds the signals back through a {@link CallMachine} and reports the first
 * decision that differs.
 *
 * <p>Transcripts and tool arguments in a journal are personal data: redact before persisting it outside the
 * operator's own machine.
 */
public final class Journal {
    public static final int VERSION = 1;

    private final Consumer<String> sink;

    /** Writes lines to {@code sink} (called on the conductor thread only). */
    public Journal(String callId, CallPolicy policy, Consumer<String> sink) {
        this.sink = sink;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("journal", "parley");
        header.put("version", (long) VERSION);
        header.put("callId", callId);
        header.put("policy", RecordJson.toJson(policy));
        sink.accept(Json.write(header));
    }

    public void append(Instant at, Signal signal, List<Effect> effects) {
        sink.accept(entry(at, signal, effects));
    }

    static String entry(Instant at, Signal signal, List<Effect> effects) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"at\":");
        Json.quote(at.toString(), sb);
        sb.append(",\"signal\":");
        Json.write(RecordJson.toJson(signal, Signal.class), sb);
        sb.append(",\"effects\":[");
        for (int i = 0; i < effects.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.write(RecordJson.toJson(effects.get(i), Effect.class), sb);
        }
        sb.append("]}");
        return sb.toString();
    }

    /** The outcome of a replay. */
    public record ReplayResult(boolean identical, int decisions, String difference) {}

    public static ReplayResult replay(Path journal) {
        try {
            return replay(Files.readAllLines(journal, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ParleyException("cannot read journal " + journal + ": " + e.getMessage(), e);
        }
    }

    /** Re-runs every signal of a journal through a fresh machine built from its header's policy. */
    public static ReplayResult replay(List<String> lines) {
        List<String> body = lines.stream().filter(l -> !l.isBlank()).toList();
        if (body.isEmpty()) {
            throw new ParleyException("empty journal");
        }
        Object header = Json.parse(body.getFirst());
        if (!(header instanceof Map<?, ?> h) || !"parley".equals(h.get("journal"))) {
            throw new ParleyException("not a Parley journal: the first line has no header");
        }
        CallPolicy policy = RecordJson.fromJson(h.get("policy"), CallPolicy.class);
        CallMachine machine = new CallMachine(policy);
        CallState state = machine.initial();
        int n = 0;
        for (int i = 1; i < body.size(); i++) {
            Object line = Json.parse(body.get(i));
            if (!(line instanceof Map<?, ?> entry)) {
                throw new ParleyException("journal line " + (i + 1) + " is not an object");
            }
            Instant at = Instant.parse((String) entry.get("at"));
            Signal signal = RecordJson.fromJson(entry.get("signal"), Signal.class);
            CallMachine.Decision d = machine.on(state, signal, at);
            state = d.state();
            n++;
            List<Object> expected = entry.get("effects") instanceof List<?> l ? new ArrayList<>(l) : List.of();
            List<Object> actual = new ArrayList<>();
            for (Effect e : d.effects()) {
                actual.add(RecordJson.toJson(e, Effect.class));
            }
            String want = Json.write(expected);
            String got = Json.write(actual);
            if (!want.equals(got)) {
                return new ReplayResult(false, n, "line " + (i + 1) + " (" + signal.getClass().getSimpleName()
                        + "): journal has " + want + " but the machine decided " + got);
            }
        }
        return new ReplayResult(true, n, "");
    }
}
