package dev.parley.resilience;

import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import java.util.ArrayDeque;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One request's stream down a {@link FallbackLanguageModel} chain. One reader thread; close from any thread. */
final class FallbackLlmStream implements LlmStream {
    private final LlmRequest request;
    private final Chain<LanguageModel> chain;
    private final Failover<LanguageModel> failover;
    private final String filler;
    private final String apology;
    private final String name;
    private final ArrayDeque<LlmEvent> queued = new ArrayDeque<>();
    private volatile @Nullable LlmStream current;
    private volatile boolean closed;
    private boolean attemptDelivered;
    private boolean textDelivered;
    private boolean endsInSpace = true;
    private boolean toolCallDelivered;
    private boolean done;

    FallbackLlmStream(LlmRequest request, Chain<LanguageModel> chain, String filler, String apology, String name) {
        this.request = request;
        this.chain = chain;
        this.failover = chain.walk(request.callId());
        this.filler = filler;
        this.apology = apology;
        this.name = name;
    }

    @Override
    public Optional<LlmEvent> next() {
        while (true) {
            if (closed) {
                return Optional.empty();
            }
            LlmEvent q = queued.poll();
            if (q != null) {
                return Optional.of(deliver(q, true));
            }
            if (done) {
                return Optional.empty();
            }
            LlmStream s = current;
            if (s == null) {
                s = openNext();
                if (s == null) {
                    continue;
                }
            }
            Optional<LlmEvent> event;
            try {
                event = s.next();
            } catch (RuntimeException e) {
                onFailure(s, e);
                continue;
            }
            if (event.isEmpty()) {
                closeCurrent(s);
                if (!closed) {
                    failover.succeeded();
                    done = true;
                }
                return Optional.empty();
            }
            if (!attemptDelivered) {
                attemptDelivered = true;
                failover.succeeded();
            }
            return Optional.of(deliver(event.get(), false));
        }
    }

    private @Nullable LlmStream openNext() {
        attemptDelivered = false;
        Optional<LlmStream> opened = failover.open(model -> guard(model, model.stream(request)));
        if (opened.isEmpty()) {
            if (!closed) {
                allFailed();
            }
            return null;
        }
        LlmStream s = opened.get();
        current = s;
        if (closed) {
            s.close();
            return null;
        }
        return s;
    }

    private LlmStream guard(LanguageModel model, LlmStream stream) {
        return chain.deadlines().map(d -> d.guard(stream, model.name(), request.callId())).orElse(stream);
    }

    private void onFailure(LlmStream s, RuntimeException e) {
        closeCurrent(s);
        if (closed) {
            return;
        }
        if (toolCallDelivered) {
            failover.failedHere(e);
            queued.add(new LlmEvent.Finished("tool_calls"));
            done = true;
            return;
        }
        boolean midTurn = attemptDelivered;
        failover.failed(e, midTurn);
        if (midTurn && textDelivered && !failover.exhausted() && !filler.isEmpty()) {
            queued.add(new LlmEvent.TextDelta(filler));
        }
    }

    private void allFailed() {
        failover.report("all-failed", name, "every model failed" + (textDelivered ? " mid-turn" : "") + "; apology given");
        if (!apology.isEmpty()) {
            queued.add(new LlmEvent.TextDelta(apology));
        }
        queued.add(new LlmEvent.Finished("error"));
        done = true;
    }

    /** Tracks what the caller got; separates inserted text from a cut-off word with a space. */
    private LlmEvent deliver(LlmEvent e, boolean inserted) {
        switch (e) {
            case LlmEvent.TextDelta(String text) when !text.isEmpty() -> {
                String out = inserted && !endsInSpace ? " " + text : text;
                textDelivered = true;
                endsInSpace = Character.isWhitespace(out.charAt(out.length() - 1));
                return out.equals(text) ? e : new LlmEvent.TextDelta(out);
            }
            case LlmEvent.ToolCallRequested t -> toolCallDelivered = true;
            default -> { }
        }
        return e;
    }

    private void closeCurrent(LlmStream s) {
        current = null;
        s.close();
    }

    @Override
    public void close() {
        closed = true;
        failover.close();
        LlmStream s = current;
        if (s != null) {
            s.close();
        }
        failover.released();
    }
}
