package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.ParleyException;

/** A validation failure a tool reports to the model as an error result (never thrown out of a tool). */
final class ToolError extends ParleyException {
    private final transient ObjectNode body;

    ToolError(String code, String message) {
        super(message);
        this.body = ToolJson.errorNode(code, message);
    }

    ToolError with(String field, java.util.List<String> values) {
        var array = body.putArray(field);
        values.forEach(array::add);
        return this;
    }

    String json() {
        return body.toString();
    }
}
