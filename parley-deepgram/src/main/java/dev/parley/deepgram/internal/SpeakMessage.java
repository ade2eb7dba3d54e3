package dev.parley.deepgram.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A server text message of the {@code /v1/speak} stream; audio comes as binary frames. */
public sealed interface SpeakMessage {
    String FLUSH = "{\"type\":\"Flush\"}";
    String CLEAR = "{\"type\":\"Clear\"}";
    String CLOSE = "{\"type\":\"Close\"}";

    record Flushed(long sequenceId) implements SpeakMessage {}

    record Cleared(long sequenceId) implements SpeakMessage {}

    record Warning(String description, String code) implements SpeakMessage {}

    record Metadata(String requestId, String modelName) implements SpeakMessage {}

    /** A type this client does not use; ignored. */
    record Other(String type) implements SpeakMessage {}

    /** {@code {"type":"Speak","text":...}} with the text escaped. */
    static String speak(String text) {
        ObjectNode node = ListenMessage.JSON.createObjectNode();
        node.put("type", "Speak");
        node.put("text", text);
        return node.toString();
    }

    /**
     * Parses one text frame.
     *
     * @throws ListenMessage.MalformedMessage if it is not a JSON object with a type
     */
    static SpeakMessage parse(String text) {
        JsonNode root;
        try {
            root = ListenMessage.JSON.readTree(text);
        } catch (JacksonException e) {
            throw new ListenMessage.MalformedMessage("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ListenMessage.MalformedMessage("not a JSON object");
        }
        String type = root.path("type").asText("");
        return switch (type) {
            case "Flushed" -> new Flushed(root.path("sequence_id").asLong(-1));
            case "Cleared" -> new Cleared(root.path("sequence_id").asLong(-1));
            case "Warning" -> new Warning(root.path("description").asText(""), root.path("code").asText(""));
            case "Metadata" -> new Metadata(root.path("request_id").asText(""), root.path("model_name").asText(""));
            case "" -> throw new ListenMessage.MalformedMessage("no type");
            default -> new Other(type);
        };
    }
}
