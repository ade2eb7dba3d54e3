package dev.parley.deepgram.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A server message of the {@code /v1/listen} stream (JSON text frame, dispatched on {@code type}). */
public sealed interface ListenMessage {
    /** Client control messages, as sent. */
    String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
    String FINALIZE = "{\"type\":\"Finalize\"}";
    String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";

    /** A transcript for a span of audio; alternatives[0] only. */
    record Results(boolean isFinal, boolean speechFinal, boolean fromFinalize, String transcript, double confidence,
            List<WordTiming> words) implements ListenMessage {}

    record SpeechStarted(Duration timestamp) implements ListenMessage {}

    record UtteranceEnd(Duration lastWordEnd) implements ListenMessage {}

    /** The end-of-stream summary (after CloseStream). */
    record Metadata(String requestId, Duration duration) implements ListenMessage {}

    /** An error reported in a message rather than a close frame. */
    record Error(String description) implements ListenMessage {}

    /** A type this client does not use; ignored. */
    record Other(String type) implements ListenMessage {}

    ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses one text frame.
     *
     * @throws MalformedMessage if it is not JSON or lacks what its type requires
     */
    static ListenMessage parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new MalformedMessage("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessage("not a JSON object");
        }
        String type = root.path("type").asText("");
        return switch (type) {
            case "Results" -> results(root);
            case "SpeechStarted" -> new SpeechStarted(seconds(root, "timestamp"));
            case "UtteranceEnd" -> new UtteranceEnd(seconds(root, "last_word_end"));
            case "Metadata" -> new Metadata(root.path("request_id").asText(""),
                    root.path("duration").isNumber() ? seconds(root, "duration") : Duration.ZERO);
            case "Error" -> new Error(root.path("description").asText(root.path("message").asText("unknown error")));
            case "" -> throw new MalformedMessage("no type");
            default -> new Other(type);
        };
    }

    private static Results results(JsonNode root) {
        JsonNode alternatives = root.path("channel").path("alternatives");
        if (!alternatives.isArray()) {
            throw new MalformedMessage("Results without channel.alternatives");
        }
        JsonNode alt = alternatives.path(0);
        List<WordTiming> words = new ArrayList<>();
        for (JsonNode w : alt.path("words")) {
            String word = w.path("punctuated_word").asText(w.path("word").asText(""));
            Duration start = seconds(w, "start");
            Duration end = seconds(w, "end");
            words.add(new WordTiming(word, start, end.compareTo(start) < 0 ? start : end));
        }
        return new Results(root.path("is_final").asBoolean(false), root.path("speech_final").asBoolean(false),
                root.path("from_finalize").asBoolean(false), alt.path("transcript").asText(""),
                alt.path("confidence").asDouble(0), words);
    }

    private static Duration seconds(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isNumber()) {
            throw new MalformedMessage("'" + field + "' is not a number");
        }
        return Duration.ofNanos(Math.round(v.asDouble() * 1e9));
    }

    /** A message that breaks the protocol. */
    final class MalformedMessage extends dev.parley.ParleyException {
        MalformedMessage(String message) {
            super(message);
        }
    }
}
