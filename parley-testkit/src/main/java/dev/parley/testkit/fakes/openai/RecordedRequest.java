package dev.parley.testkit.fakes.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One request the fake received, and what it did with it. Times are {@link System#nanoTime()} values
 * of this JVM, so a test in the same process can measure the client side against them.
 */
public final class RecordedRequest {
    private final String method;
    private final String path;
    private final JsonNode body;
    private final Optional<String> authorization;
    private final int remotePort;
    private final long receivedAtNanos;
    private final List<Long> textFrameNanos = new ArrayList<>();
    private int framesWritten;
    private OptionalInt disconnectedAfterFrames = OptionalInt.empty();
    private boolean completed;

    RecordedRequest(String method, String path, JsonNode body, Optional<String> authorization, int remotePort) {
        this.method = method;
        this.path = path;
        this.body = body;
        this.authorization = authorization;
        this.remotePort = remotePort;
        this.receivedAtNanos = System.nanoTime();
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The parsed JSON body (a missing node for requests without one). */
    public JsonNode body() {
        return body;
    }

    /** The {@code Authorization} header as sent. */
    public Optional<String> authorization() {
        return authorization;
    }

    /** The client's TCP port: two requests with the same port shared one connection. */
    public int remotePort() {
        return remotePort;
    }

    public long receivedAtNanos() {
        return receivedAtNanos;
    }

    /** When each frame carrying text started to be written, in order. */
    public synchronized List<Long> textFrameNanos() {
        return List.copyOf(textFrameNanos);
    }

    /** How many {@code data:} frames were written and flushed. */
    public synchronized int framesWritten() {
        return framesWritten;
    }

    /** If the client went away while the stream was being written: how many frames it had been sent. */
    public synchronized OptionalInt disconnectedAfterFrames() {
        return disconnectedAfterFrames;
    }

    /** True once the whole scripted response was written (through [DONE] for a stream). */
    public synchronized boolean completed() {
        return completed;
    }

    synchronized void textFrameStarting(long nanos) {
        textFrameNanos.add(nanos);
    }

    synchronized void frameWritten() {
        framesWritten++;
    }

    synchronized void clientDisconnected() {
        disconnectedAfterFrames = OptionalInt.of(framesWritten);
    }

    synchronized void completed(boolean done) {
        completed = done;
    }

    @Override
    public String toString() {
        return method + " " + path + " frames=" + framesWritten() + " disconnectedAfter=" + disconnectedAfterFrames();
    }
}
