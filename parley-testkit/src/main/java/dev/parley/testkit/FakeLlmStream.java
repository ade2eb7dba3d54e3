package dev.parley.testkit;

import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** One stream of a {@link FakeLlm}; also a handle for assertions. */
public final class FakeLlmStream implements LlmStream {
    private final LlmRequest request;
    private final LlmStep step;
    private final EventChannel<LlmEvent> events;
    private final AtomicInteger delivered = new AtomicInteger();

    FakeLlmStream(LlmRequest request, LlmStep step, EventChannel<LlmEvent> events) {
        this.request = request;
        this.step = step;
        this.events = events;
    }

    @Override
    public Optional<LlmEvent> next() {
        Optional<LlmEvent> e = events.next();
        if (e.isPresent()) {
            delivered.incrementAndGet();
        }
        return e;
    }

    @Override
    public void close() {
        events.close();
    }

    public LlmRequest request() {
        return request;
    }

    /** The step this stream plays. */
    public LlmStep step() {
        return step;
    }

    /** Events returned by {@code next()} so far. */
    public int delivered() {
        return delivered.get();
    }

    public boolean closed() {
        return events.isClosed();
    }

    /** True when closed before every event of the step was delivered (the reply was cancelled). */
    public boolean cancelled() {
        return events.isClosed() && delivered.get() < events.offered();
    }
}
