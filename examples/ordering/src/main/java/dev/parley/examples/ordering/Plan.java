package dev.parley.examples.ordering;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What one model step does: say something, or call tools. */
record Plan(String text, List<Call> calls) {
    record Call(String name, ObjectNode args) {}

    Plan {
        calls = List.copyOf(calls);
    }

    static Plan say(String text) {
        return new Plan(text, List.of());
    }

    static Plan call(List<Call> calls) {
        return new Plan("", calls);
    }

    static Call call(String name) {
        return new Call(name, ToolJson.MAPPER.createObjectNode());
    }
}
