package dev.parley.elevenlabs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The {@code stream-input} messages: BOS, text, flush, keep-alive and EOS out; audio, final and errors in. */
public final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {}

    /** Voice settings sent once, in the first message. */
    public record VoiceSettings(double stability, double similarityBoost, double style, boolean speakerBoost,
            double speed) {}

    /** One character with its start and duration in ms, relative to its audio message. */
    public record Char(String ch, long startMs, long durationMs) {}

    /** A message from the server. */
    public sealed interface Server {
        /** Audio (possibly empty) with the alignment of its characters, when sent. */
        record Audio(byte[] audio, Optional<List<Char>> alignment, boolean isFinal) implements Server {}

        record Final() implements Server {}

        record Error(String text) implements Server {}
    }

    /** Not JSON, or audio that is not base64. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /** The first message: {@code text} must be a single space. */
    public static String bos(VoiceSettings v, List<Integer> chunkSchedule) {
        ObjectNode n = JSON.createObjectNode().put("text", " ");
        n.putObject("voice_settings").put("stability", v.stability()).put("similarity_boost", v.similarityBoost())
                .put("style", v.style()).put("use_speaker_boost", v.speakerBoost()).put("speed", v.speed());
        var schedule = n.putObject("generation_config").putArray("chunk_length_schedule");
        chunkSchedule.forEach(schedule::add);
        return n.toString();
    }

    public static String text(String text) {
        return JSON.createObjectNode().put("text", text).toString();
    }

    /** Generate everything buffered now; the socket stays open. */
    public static String flush() {
        return JSON.createObjectNode().put("text", " ").put("flush", true).toString();
    }

    /** Resets the inactivity timer and generates nothing. */
    public static String keepAlive() {
        return text(" ");
    }

    /** End of input: the server finishes, sends {@code isFinal} and closes. */
    public static String eos() {
        return text("");
    }

    public static Server parse(String text) throws MalformedException {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) {
            throw new MalformedException("not a JSON object");
        }
        boolean isFinal = n.path("isFinal").asBoolean(false);
        JsonNode audio = n.get("audio");
        if (audio != null && audio.isTextual()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(audio.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedException("audio is not base64");
            }
            Optional<List<Char>> alignment = chars(n.get("alignment"));
            return new Server.Audio(bytes, alignment.isPresent() ? alignment : chars(n.get("normalizedAlignment")),
                    isFinal);
        }
        if (isFinal) {
            return new Server.Final();
        }
        if (n.has("error") || n.has("message") || n.has("detail")) {
            String message = n.path("message").asText("");
            String error = n.path("error").asText("");
            String detail = n.path("detail").isObject() ? n.path("detail").path("message").asText("")
                    : n.path("detail").asText("");
            String all = String.join(": ", List.of(error, message, detail).stream().filter(s -> !s.isEmpty())
                    .toList());
            return new Server.Error(all.isEmpty() ? "unknown error" : all);
        }
        throw new MalformedException("neither audio, isFinal nor an error");
    }

    private static Optional<List<Char>> chars(JsonNode a) throws MalformedException {
        if (a == null || !a.isObject()) {
            return Optional.empty();
        }
        JsonNode chars = a.path("chars");
        JsonNode starts = a.path("charStartTimesMs");
        JsonNode durations = a.path("charDurationsMs");
        if (!chars.isArray() || !starts.isArray() || !durations.isArray() || chars.size() != starts.size()
                || chars.size() != durations.size()) {
            throw new MalformedException("alignment arrays missing or of different lengths");
        }
        List<Char> out = new ArrayList<>(chars.size());
        for (int i = 0; i < chars.size(); i++) {
            out.add(new Char(chars.get(i).asText(), starts.get(i).asLong(), durations.get(i).asLong()));
        }
        return Optional.of(out);
    }
}
