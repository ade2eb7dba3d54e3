package dev.parley.testkit.fakes.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The request checks of the real API that a client can get wrong. */
final class RequestRules {
    private RequestRules() {}

    static Optional<String> problem(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.of("'messages' must be a non-empty array");
        }
        if (body.path("model").asText("").isEmpty()) {
            return Optional.of("you must provide a model parameter");
        }
        Set<String> callIds = new HashSet<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            switch (role) {
                case "system", "developer", "user" -> {
                    if (!m.path("content").isTextual()) {
                        return Optional.of("a " + role + " message needs text content");
                    }
                }
                case "assistant" -> {
                    m.path("tool_calls").forEach(tc -> callIds.add(tc.path("id").asText("")));
                    if (!m.path("content").isTextual() && m.path("tool_calls").isEmpty()) {
                        return Optional.of("an assistant message needs content or tool_calls");
                    }
                }
                case "tool" -> {
                    if (!callIds.contains(m.path("tool_call_id").asText(""))) {
                        return Optional.of("tool message answers unknown tool_call_id '"
                                + m.path("tool_call_id").asText("") + "'");
                    }
                }
                default -> {
                    return Optional.of("invalid role '" + role + "'");
                }
            }
        }
        for (JsonNode t : body.path("tools")) {
            if (!t.path("function").path("name").asText("").matches("[a-zA-Z0-9_-]{1,64}")) {
                return Optional.of("invalid tool name '" + t.path("function").path("name").asText("") + "'");
            }
        }
        return Optional.empty();
    }

    static int promptTokens(JsonNode body) {
        int n = 0;
        for (JsonNode m : body.path("messages")) {
            n += 3 + SseScript.tokens(m.path("content").asText("")).size();
        }
        return n;
    }
}
