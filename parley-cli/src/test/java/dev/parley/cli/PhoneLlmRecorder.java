package dev.parley.cli;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A language model that delegates to another and records, per call, every request and what the step streamed back
 * (the text as far as the agent read it, and the tool calls). Shared by all calls of an agent.
 */
final class PhoneLlmRecorder implements LanguageModel {
    private final LanguageModel delegate;
    private final Map<String, List<Step>> steps = new ConcurrentHashMap<>();

    PhoneLlmRecorder(LanguageModel delegate) {
        this.delegate = delegate;
    }

    /** One model step: the request, and what the stream produced so far. */
    static final class Step {
        private final LlmRequest request;
        private final StringBuilder text = new StringBuilder();
        private final List<ToolCall> toolCalls = new CopyOnWriteArrayList<>();

        Step(LlmRequest request) {
            this.request = request;
        }

        LlmRequest request() {
            return request;
        }

        synchronized String text() {
            return text.toString();
        }

        List<ToolCall> toolCalls() {
            return List.copyOf(toolCalls);
        }

        synchronized void append(String delta) {
            text.append(delta);
        }

        /** The interrupted assistant messages of the request (what the caller heard of cut replies). */
        List<ChatMessage.Assistant> interrupted() {
            return request.messages().stream()
                    .filter(m -> m instanceof ChatMessage.Assistant a && a.interrupted())
                    .map(ChatMessage.Assistant.class::cast).toList();
        }

        @Override
        public String toString() {
            return "Step[last=" + (request.messages().isEmpty() ? "-" : request.messages().getLast()) + ", text="
                    + text() + ", tools=" + toolCalls.stream().map(ToolCall::name).toList() + "]";
        }
    }

    /** The steps of a call so far, in order. */
    List<Step> steps(String callId) {
        return List.copyOf(steps.getOrDefault(callId, List.of()));
    }

    @Override
    public LlmStream stream(LlmRequest request) {
        Step step = new Step(request);
        steps.computeIfAbsent(request.callId(), id -> new CopyOnWriteArrayList<>()).add(step);
        LlmStream inner = delegate.stream(request);
        return new LlmStream() {
            @Override
            public Optional<LlmEvent> next() {
                Optional<LlmEvent> e = inner.next();
                if (e.isPresent()) {
                    switch (e.get()) {
                        case LlmEvent.TextDelta d -> step.append(d.text());
                        case LlmEvent.ToolCallRequested t -> step.toolCalls.add(t.call());
                        case LlmEvent.Usage u -> { }
                        case LlmEvent.Finished f -> { }
                    }
                }
                return e;
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /** Every message of every request of a call, flattened (for failure messages). */
    String describe(String callId) {
        List<String> lines = new ArrayList<>();
        for (Step s : steps(callId)) {
            lines.add(s.toString());
        }
        return String.join("\n", lines);
    }
}
