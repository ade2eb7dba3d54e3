package dev.parley;

import dev.parley.internal.Call;
import dev.parley.spi.ChatMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A handle on one running (or ended) call. */
public final class CallSession {
    private final Call call;

    CallSession(Call call) {
        this.call = call;
    }

    public String callId() {
        return call.callId();
    }

    /** The conversation so far; an interrupted agent message holds only what the caller heard. */
    public List<ChatMessage> history() {
        return call.history();
    }

    /** Every event of the call so far, in order. */
    public List<CallEvent> events() {
        return call.events();
    }

    /** The call journal so far as JSON lines (header first). */
    public List<String> journal() {
        return call.journal();
    }

    public boolean isActive() {
        return !call.ended().isDone();
    }

    /** Ends the call from the application's side. */
    public void hangUp() {
        call.hangUp();
    }

    /** Waits for the call to end; true if it ended within the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        try {
            call.ended().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new ParleyException("call failed", e.getCause());
        }
    }

    /** Threads of this call still running: zero once it has fully ended. */
    public long liveThreads() {
        return call.liveThreads();
    }
}
