package dev.parley.openai;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP attempt. The client's threads put what happens (status and headers, body buffers, end,
 * failure) into a queue; the stream's reader takes it out with its own deadlines, so waiting for a
 * slow server is a timed {@code poll}, and {@link #cancel()} both aborts the request and wakes the
 * reader.
 */
final class Exchange implements HttpResponse.BodySubscriber<Void> {
    sealed interface Item {
        record Head(int status, HttpHeaders headers) implements Item {}

        record Bytes(List<ByteBuffer> buffers) implements Item {}

        record End() implements Item {}

        record Failed(Throwable error) implements Item {}

        record Wake() implements Item {}
    }

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private volatile Flow.@Nullable Subscription subscription;
    private volatile boolean cancelled;
    private final CompletableFuture<HttpResponse<Void>> response;

    private Exchange(HttpClient client, HttpRequest request) {
        this.response = client.sendAsync(request, info -> {
            queue.add(new Item.Head(info.statusCode(), info.headers()));
            return this;
        });
        response.whenComplete((r, t) -> {
            if (t != null) {
                queue.add(new Item.Failed(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t));
            }
        });
    }

    static Exchange send(HttpClient client, HttpRequest request) {
        return new Exchange(client, request);
    }

    /** The next item, or null when none came within {@code nanos}. */
    @Nullable Item poll(long nanos) throws InterruptedException {
        return queue.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** Aborts the request (or the body being read) and wakes a pending {@link #poll}. Idempotent. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
        queue.add(new Item.Wake());
    }

    /** Wakes a pending {@link #poll} without aborting anything. */
    void wake() {
        queue.add(new Item.Wake());
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        queue.add(new Item.Bytes(buffers));
    }

    @Override
    public void onError(Throwable t) {
        queue.add(new Item.Failed(t));
    }

    @Override
    public void onComplete() {
        queue.add(new Item.End());
    }

    @Override
    public CompletionStage<Void> getBody() {
        return CompletableFuture.completedStage(null);
    }
}
