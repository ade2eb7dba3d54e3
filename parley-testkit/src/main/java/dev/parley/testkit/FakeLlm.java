package dev.parley.testkit;

import dev.parley.ParleyException;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scripted {@link LanguageModel}. Each {@code stream(request)} takes the next queued
 * {@link LlmStep} (or asks the responder function when the queue is empty) and streams it with a
 * time to first token and a token rate; pacing waits are interrupted by {@code close()}. Every
 * request is recorded for assertions on the history the model saw. A request with no step queued
 * and no responder throws a {@link ParleyException} from {@code stream} (and is counted).
 *
 * <pre>{@code
 * var llm = FakeLlm.builder()
 *         .reply(LlmStep.toolCall("c1", "add_item", "{\"item\":\"pizza\"}"), LlmStep.text("Added a pizza."))
 *         .timeToFirstToken(Duration.ofMillis(200)).tokensPerSecond(50).build();
 * }</pre>
 */
public final class FakeLlm implements LanguageModel {
    private final String name;
    private final Duration ttft;
    private final double tokensPerSecond;
    private final @Nullable Function<LlmRequest, LlmStep> responder;
    private final FaultPlan faults;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<LlmStep> steps;
    private final List<LlmRequest> requests = new ArrayList<>();
    private final List<FakeLlmStream> streams = new ArrayList<>();
    private int unscripted;

    private FakeLlm(Builder b) {
        this.name = b.name;
        this.ttft = b.ttft;
        this.tokensPerSecond = b.tokensPerSecond;
        this.responder = b.responder;
        this.faults = new FaultPlan(b.faults);
        this.steps = new ArrayDeque<>(b.steps);
    }

    /** Answers successive requests with these texts, unpaced. */
    public static FakeLlm replying(String... texts) {
        var b = builder();
        for (String t : texts) {
            b.reply(LlmStep.text(t));
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FakeLlmStream stream(LlmRequest request) {
        LlmStep step;
        Fault fault;
        lock.lock();
        try {
            requests.add(request);
            changed.signalAll();
            fault = faults.next();
            if (fault instanceof Fault.FailOnOpen f) {
                throw f.error();
            }
            step = steps.poll();
            if (step == null && responder != null) {
                step = responder.apply(request);
            }
            if (step == null) {
                unscripted++;
                throw new ParleyException("FakeLlm: no scripted step for request #" + requests.size());
            }
        } finally {
            lock.unlock();
        }
        var channel = new EventChannel<LlmEvent>(fault);
        schedule(channel, step, request);
        var stream = new FakeLlmStream(request, step, channel);
        lock.lock();
        try {
            streams.add(stream);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return stream;
    }

    private void schedule(EventChannel<LlmEvent> channel, LlmStep step, LlmRequest request) {
        long interval = Double.isInfinite(tokensPerSecond) ? 0 : (long) (1e9 / tokensPerSecond);
        long due = EventChannel.nanosFromNow(step.timeToFirstToken().orElse(ttft));
        int completion = 0;
        boolean first = true;
        for (LlmEvent e : step.content()) {
            if (!first) {
                due += interval;
            }
            first = false;
            channel.offerAt(e, due);
            completion++;
        }
        if (step.finishReason().isPresent()) {
            channel.offerAt(new LlmEvent.Usage(promptTokens(request), completion), due);
            channel.offerAt(new LlmEvent.Finished(step.finishReason().get()), due);
        }
        channel.end();
    }

    private static int promptTokens(LlmRequest r) {
        int words = r.instructions().split("\\s+").length;
        for (ChatMessage m : r.messages()) {
            String t = switch (m) {
                case ChatMessage.User u -> u.text();
                case ChatMessage.Assistant a -> a.text();
                case ChatMessage.ToolResult tr -> tr.content();
                case ChatMessage.System s -> s.text();
            };
            words += t.split("\\s+").length;
        }
        return words;
    }

    @Override
    public String name() {
        return name;
    }

    /** Queues steps after those already queued. */
    public void enqueue(LlmStep... more) {
        lock.lock();
        try {
            steps.addAll(List.of(more));
        } finally {
            lock.unlock();
        }
    }

    /** The fault for the next {@code stream} call not already given one. */
    public void addFault(Fault fault) {
        faults.add(fault);
    }

    /** Every request received, in order (including those that failed on open). */
    public List<LlmRequest> requests() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    public Optional<LlmRequest> lastRequest() {
        var all = requests();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Streams opened, oldest first. */
    public List<FakeLlmStream> streams() {
        lock.lock();
        try {
            return List.copyOf(streams);
        } finally {
            lock.unlock();
        }
    }

    /** Steps still queued. */
    public int pendingSteps() {
        lock.lock();
        try {
            return steps.size();
        } finally {
            lock.unlock();
        }
    }

    /** Requests that found neither a queued step nor a responder. */
    public int unscriptedRequests() {
        lock.lock();
        try {
            return unscripted;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code n} requests have been received; returns them all. */
    public List<LlmRequest> awaitRequests(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (requests.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + n + " LLM requests; got " + requests.size());
                }
                changed.awaitNanos(left);
            }
            return List.copyOf(requests);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    /** Builder. Defaults: no time to first token, unpaced tokens, empty script. */
    public static final class Builder {
        private String name = "fake-llm";
        private Duration ttft = Duration.ZERO;
        private double tokensPerSecond = Double.POSITIVE_INFINITY;
        private @Nullable Function<LlmRequest, LlmStep> responder;
        private final List<Fault> faults = new ArrayList<>();
        private final List<LlmStep> steps = new ArrayList<>();

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Queues steps, answered in order, one per request. */
        public Builder reply(LlmStep... more) {
            steps.addAll(List.of(more));
            return this;
        }

        /** Queues text answers. */
        public Builder replies(String... texts) {
            for (String t : texts) {
                steps.add(LlmStep.text(t));
            }
            return this;
        }

        /** Answers requests when the queue is empty. */
        public Builder responder(Function<LlmRequest, LlmStep> responder) {
            this.responder = responder;
            return this;
        }

        /** Delay from {@code stream} to the first event (steps may override). Default 0. */
        public Builder timeToFirstToken(Duration ttft) {
            this.ttft = FakeStt.nonNegative(ttft);
            return this;
        }

        /** Events per second after the first; {@code Double.POSITIVE_INFINITY} (default) for no pacing. */
        public Builder tokensPerSecond(double rate) {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("rate must be > 0: " + rate);
            }
            this.tokensPerSecond = rate;
            return this;
        }

        /** Faults for the first {@code stream} calls, one per call in order; later calls are healthy. */
        public Builder faults(Fault... perStream) {
            faults.addAll(List.of(perStream));
            return this;
        }

        public FakeLlm build() {
            return new FakeLlm(this);
        }
    }
}
