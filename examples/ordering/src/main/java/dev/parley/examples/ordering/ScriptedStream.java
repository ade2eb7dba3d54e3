package dev.parley.examples.ordering;

import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmStream;
import java.util.List;
import java.util.Optional;

/** An {@link LlmStream} over events decided up front. Thread-safe; {@code close} ends it at once. */
final class ScriptedStream implements LlmStream {
    private final List<LlmEvent> events;
    private int next;
    private volatile boolean closed;

    ScriptedStream(List<LlmEvent> events) {
        this.events = List.copyOf(events);
    }

    @Override
    public synchronized Optional<LlmEvent> next() {
        if (closed || next >= events.size()) {
            return Optional.empty();
        }
        return Optional.of(events.get(next++));
    }

    @Override
    public void close() {
        closed = true;
    }
}
