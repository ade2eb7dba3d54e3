package dev.parley.cli;

import dev.parley.examples.ordering.OrderTools;
import dev.parley.resilience.FallbackLanguageModel;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.ToolCall;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the agent act when every language model failed. A {@link FallbackLanguageModel} then streams its apology
 * and {@code Finished("error")} (and reports "all-failed"); this wrapper turns that end into a
 * {@code transfer_to_human} tool call, so the reply runs the ordering tool: the transfer happens once the apology has
 * been played (the server dials the handoff number, or hangs up politely when none is configured). The model step
 * that follows the handoff's tool result is answered here with nothing to say, without asking the failing models
 * again. The history stays valid: the synthetic call is answered by the tool's result like any other.
 */
final class AllFailedHandoff implements LanguageModel {
    /** Call ids of the synthetic transfer start with this. */
    static final String CALL_ID_PREFIX = "handoff_";
    static final String REASON = "every language model failed";

    private final LanguageModel delegate;
    private final AtomicLong ids = new AtomicLong();

    AllFailedHandoff(LanguageModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public LlmStream stream(LlmRequest request) {
        if (!request.messages().isEmpty() && request.messages().getLast() instanceof ChatMessage.ToolResult r
                && r.callId().startsWith(CALL_ID_PREFIX)) {
            return new Fixed(new LlmEvent.Finished("stop"));
        }
        LlmStream inner = delegate.stream(request);
        String id = CALL_ID_PREFIX + ids.incrementAndGet();
        return new LlmStream() {
            private final ArrayDeque<LlmEvent> queued = new ArrayDeque<>();

            @Override
            public Optional<LlmEvent> next() {
                LlmEvent q = queued.poll();
                if (q != null) {
                    return Optional.of(q);
                }
                Optional<LlmEvent> e = inner.next();
                if (e.isPresent() && e.get() instanceof LlmEvent.Finished(String reason) && reason.equals("error")) {
                    queued.add(new LlmEvent.Finished("tool_calls"));
                    return Optional.of(new LlmEvent.ToolCallRequested(new ToolCall(id, OrderTools.TRANSFER_TO_HUMAN,
                            "{\"reason\":\"" + REASON + "\"}")));
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

    /** A stream of fixed events. */
    private static final class Fixed implements LlmStream {
        private final ArrayDeque<LlmEvent> events = new ArrayDeque<>();

        Fixed(LlmEvent... events) {
            this.events.addAll(java.util.List.of(events));
        }

        @Override
        public Optional<LlmEvent> next() {
            return Optional.ofNullable(events.poll());
        }

        @Override
        public void close() {
            events.clear();
        }
    }
}
