package dev.parley.openai;

import dev.parley.ParleyException;
import dev.parley.openai.internal.ChunkAssembler;
import dev.parley.openai.internal.Errors;
import dev.parley.openai.internal.SseDecoder;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed step. The request is sent when the stream is created; {@link #next()} reads the
 * client's queue with two deadlines (first byte, then the longest gap between chunks), decodes SSE
 * and assembles events on the caller's thread. Retryable failures are retried, with backoff, only
 * while no event has been returned. {@link #close()} aborts the HTTP request and wakes {@code next()}.
 */
final class OpenAiStream implements LlmStream {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiStream.class);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final OpenAiChat chat;
    private final LlmRequest request;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<LlmEvent> pending = new ArrayDeque<>();
    private final List<LlmEvent> scratch = new java.util.ArrayList<>();
    private volatile boolean closed;
    private Exchange exchange;
    private int attempt = 1;
    private boolean delivered;
    private volatile boolean done;
    private boolean usageFallbackTried;
    private @Nullable OpenAiException failure;
    private SseDecoder decoder = new SseDecoder();
    private ChunkAssembler assembler;
    private long deadline;
    private boolean bodyStarted;
    private int status;
    private @Nullable HttpHeaders errorHeaders;
    private @Nullable ByteArrayOutputStream errorBody; // an error body, or a whole JSON answer

    OpenAiStream(OpenAiChat chat, LlmRequest request) {
        this.chat = chat;
        this.request = request;
        this.assembler = new ChunkAssembler(chat.providerName());
        this.deadline = System.nanoTime() + chat.firstByteTimeout().toNanos();
        this.exchange = Exchange.send(chat.client(), chat.httpRequest(request));
    }

    @Override
    public Optional<LlmEvent> next() {
        while (true) {
            if (closed) {
                return Optional.empty();
            }
            LlmEvent event = pending.poll();
            if (event != null) {
                delivered = true;
                return Optional.of(event);
            }
            OpenAiException f = failure;
            if (f != null) {
                failure = null;
                retryOrThrow(f);
                continue;
            }
            if (done) {
                return Optional.empty();
            }
            Exchange.Item item;
            try {
                long wait = deadline - System.nanoTime();
                item = wait > 0 ? exchange.poll(wait) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = true;
                exchange.cancel();
                throw new ParleyException("interrupted while waiting for " + chat.providerName(), e);
            }
            if (closed) {
                return Optional.empty();
            }
            if (item == null) {
                exchange.cancel();
                failure = stalled();
            } else {
                handle(item);
            }
        }
    }

    private void handle(Exchange.Item item) {
        switch (item) {
            case Exchange.Item.Head h -> {
                status = h.status();
                if (status < 200 || status > 299) {
                    errorHeaders = h.headers();
                    errorBody = new ByteArrayOutputStream();
                } else if (h.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
                    errorBody = new ByteArrayOutputStream(); // a server that ignored stream:true sent the whole answer
                }
            }
            case Exchange.Item.Bytes b -> {
                bodyStarted = true;
                deadline = System.nanoTime() + chat.chunkGapTimeout().toNanos();
                for (ByteBuffer buf : b.buffers()) {
                    if (errorBody != null) {
                        byte[] bytes = new byte[buf.remaining()];
                        buf.get(bytes);
                        errorBody.write(bytes, 0, Math.min(bytes.length, MAX_ERROR_BODY - errorBody.size()));
                    } else if (!done && failure == null) {
                        for (String data : decoder.feed(buf)) {
                            onData(data);
                        }
                    }
                }
            }
            case Exchange.Item.End e -> {
                if (errorBody != null && errorHeaders != null) {
                    failure = Errors.http(chat.providerName(), OpenAiChat.ENV_API_KEY, status, errorHeaders,
                            errorBody.toByteArray(), Instant.now());
                    return;
                }
                if (errorBody != null) {
                    onData(errorBody.toString(StandardCharsets.UTF_8));
                    onData("[DONE]");
                    return;
                }
                for (String data : decoder.end()) {
                    onData(data);
                }
                if (!done && failure == null) {
                    scratch.clear();
                    if (assembler.end(scratch)) {
                        pending.addAll(scratch);
                        done = true;
                    } else {
                        failure = new OpenAiException(chat.providerName()
                                + " closed the stream before it finished (no finish_reason, no [DONE])", true, null);
                    }
                }
            }
            case Exchange.Item.Failed f -> {
                if (!done && failure == null) {
                    failure = connectionFailure(f.error());
                }
            }
            case Exchange.Item.Wake w -> { }
        }
    }

    private void onData(String data) {
        if (done || failure != null) {
            return;
        }
        scratch.clear();
        try {
            if (data.strip().startsWith("[DONE]")) {
                assembler.finish(scratch);
                done = true;
            } else {
                assembler.accept(data, scratch);
            }
        } catch (OpenAiException e) {
            failure = e;
            exchange.cancel();
        }
        pending.addAll(scratch);
    }

    private OpenAiException connectionFailure(Throwable t) {
        boolean connect = !bodyStarted && status == 0;
        String what = t instanceof HttpConnectTimeoutException ? "timed out connecting to"
                : t instanceof ConnectException || connect ? "could not reach" : "lost the connection to";
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new OpenAiException(chat.providerName() + ": " + what + " " + chat.baseUrl()
                + (connect ? "" : " mid-stream") + " (" + detail + ")", true, t);
    }

    private OpenAiException stalled() {
        Duration limit = bodyStarted ? chat.chunkGapTimeout() : chat.firstByteTimeout();
        String which = bodyStarted ? "no data for " : "no first byte within ";
        return new OpenAiException(chat.providerName() + " stream stalled: " + which + limit.toMillis() + " ms", true,
                null);
    }

    /** Starts the next attempt if allowed (returns), else ends the stream with {@code f} (throws). */
    private void retryOrThrow(OpenAiException f) {
        if (!delivered && !usageFallbackTried && f.status().orElse(0) == 400 && f.getMessage().contains("stream_options")
                && chat.streamUsage()) {
            usageFallbackTried = true;
            chat.disableStreamUsage();
            LOG.info("{} rejects stream_options; asking again without it", chat.providerName());
            restart();
            return;
        }
        if (!delivered && f.retryable()) {
            Optional<Duration> delay = chat.retryPolicy().delayBefore(attempt + 1, f.retryAfter(),
                    ThreadLocalRandom.current());
            if (delay.isPresent()) {
                LOG.info("{} (attempt {}); retrying in {} ms", f.getMessage(), attempt, delay.get().toMillis());
                attempt++;
                if (!pause(delay.get())) {
                    return; // closed while waiting
                }
                restart();
                return;
            }
        }
        done = true;
        exchange.cancel();
        throw f;
    }

    /** Waits on the old exchange's queue so that close() can wake us; false if closed meanwhile. */
    private boolean pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!closed) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                exchange.poll(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = true;
            throw new ParleyException("interrupted while waiting to retry " + chat.providerName(), e);
        }
        return false;
    }

    private void restart() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            exchange.cancel();
            decoder = new SseDecoder();
            assembler = new ChunkAssembler(chat.providerName());
            bodyStarted = false;
            status = 0;
            errorBody = null;
            errorHeaders = null;
            deadline = System.nanoTime() + chat.firstByteTimeout().toNanos();
            exchange = Exchange.send(chat.client(), chat.httpRequest(request));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (done) {
                exchange.wake(); // finished: let the body drain so the connection goes back to the pool
            } else {
                exchange.cancel();
            }
        } finally {
            lock.unlock();
        }
    }
}
