package dev.parley.cartesia.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The Cartesia {@code /tts/websocket} messages: generation inputs and cancels out, server messages in. */
public final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {}

    /** The fields every input on one context repeats unchanged. */
    public record Context(String contextId, String model, String voiceId, String language, int sampleRate,
            boolean addTimestamps, Optional<Duration> maxBufferDelay) {}

    /** A message from the server, routed by {@code context_id}. */
    public sealed interface Server {
        String contextId();

        record Chunk(String contextId, byte[] audio) implements Server {}

        record Timestamps(String contextId, List<Word> words) implements Server {}

        record FlushDone(String contextId, long flushId) implements Server {}

        record Done(String contextId) implements Server {}

        record Error(String contextId, int status, String code, String text) implements Server {}

        /** A type we do not use (phoneme timestamps, future additions). */
        record Other(String contextId, String type) implements Server {}
    }

    /** A word with start and end in seconds from the start of the context's audio. */
    public record Word(String word, double start, double end) {}

    /** A message the protocol does not allow: not JSON, or a known type without its fields. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /** A generation input: text for the context, whether more follows, whether to flush now. */
    public static String input(Context c, String transcript, boolean more, boolean flush) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_id", c.model());
        n.put("transcript", transcript);
        n.putObject("voice").put("mode", "id").put("id", c.voiceId());
        n.put("language", c.language());
        n.put("context_id", c.contextId());
        n.putObject("output_format").put("container", "raw").put("encoding", "pcm_s16le")
                .put("sample_rate", c.sampleRate());
        n.put("add_timestamps", c.addTimestamps());
        c.maxBufferDelay().ifPresent(d -> n.put("max_buffer_delay_ms", d.toMillis()));
        n.put("continue", more);
        if (flush) {
            n.put("flush", true);
        }
        return n.toString();
    }

    public static String cancel(String contextId) {
        return JSON.createObjectNode().put("context_id", contextId).put("cancel", true).toString();
    }

    /** Parses one server message. */
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
        String context = n.path("context_id").asText("");
        String type = n.path("type").asText("");
        return switch (type) {
            case "chunk" -> {
                JsonNode data = n.get("data");
                if (data == null || !data.isTextual()) {
                    throw new MalformedException("chunk without data");
                }
                try {
                    yield new Server.Chunk(context, Base64.getDecoder().decode(data.asText()));
                } catch (IllegalArgumentException e) {
                    throw new MalformedException("chunk data is not base64");
                }
            }
            case "timestamps" -> new Server.Timestamps(context, words(n.path("word_timestamps")));
            case "flush_done" -> new Server.FlushDone(context, n.path("flush_id").asLong(-1));
            case "done" -> new Server.Done(context);
            case "error" -> {
                String message = n.path("message").asText("");
                String title = n.path("title").asText("");
                String text2 = !title.isEmpty() && !message.isEmpty() ? title + ": " + message
                        : !message.isEmpty() ? message : !title.isEmpty() ? title : n.path("error").asText("unknown");
                yield new Server.Error(context, n.path("status_code").asInt(0), n.path("error_code").asText(""),
                        text2);
            }
            default -> {
                if (n.path("done").asBoolean(false) && type.isEmpty()) {
                    yield new Server.Done(context);
                }
                yield new Server.Other(context, type);
            }
        };
    }

    private static List<Word> words(JsonNode wt) throws MalformedException {
        JsonNode words = wt.path("words");
        JsonNode start = wt.path("start");
        JsonNode end = wt.path("end");
        if (!words.isArray() || !start.isArray() || !end.isArray() || words.size() != start.size()
                || words.size() != end.size()) {
            throw new MalformedException("timestamps without matching words/start/end arrays");
        }
        List<Word> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            out.add(new Word(words.get(i).asText(), start.get(i).asDouble(), end.get(i).asDouble()));
        }
        return out;
    }
}
