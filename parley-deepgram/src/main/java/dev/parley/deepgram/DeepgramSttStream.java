package dev.parley.deepgram;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.audio.G711;
import dev.parley.deepgram.internal.EventQueue;
import dev.parley.deepgram.internal.Failures;
import dev.parley.deepgram.internal.ListenMessage;
import dev.parley.deepgram.internal.WsConnection;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/listen} socket. {@code send} encodes and queues audio without blocking; socket
 * callbacks turn messages into {@link SttEvent}s; the reader in {@link #next()} also keeps time:
 * it sends KeepAlives while no audio flows and fails the stream (retryable) when a deadline
 * passes: no final after finalizeTurn, no message while audio flows, no end after finish.
 */
final class DeepgramSttStream implements SttStream {
    record Settings(AudioFormat.Encoding encoding, Duration connectTimeout, Duration keepAlive,
            Duration finalizeTimeout, Duration responseTimeout, Duration finishTimeout, Duration maxPendingAudio,
            LongSupplier nanoClock) {}

    private static final Logger log = LoggerFactory.getLogger(DeepgramSttStream.class);
    private static final String WHAT = "transcription stream";
    private static final Duration CLOSE_GRACE = Duration.ofMillis(500);

    private final Settings settings;
    private final int sampleRate;
    private final String callId;
    private final long maxPendingBytes;
    private final EventQueue<SttEvent> events = new EventQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable WsConnection connection;
    private volatile boolean finishing;

    // timekeeping, guarded by lock (nanoClock values)
    private final ReentrantLock lock = new ReentrantLock();
    private long lastAudioAt;
    private long lastKeepAliveAt;
    private boolean audioSinceFinal;
    private boolean awaitingResponse;
    private long unansweredSince;
    private boolean finalizeArmed;
    private long finalizeDeadline;
    private boolean finishArmed;
    private long finishDeadline;

    private DeepgramSttStream(SttRequest request, Settings settings) {
        this.settings = settings;
        this.sampleRate = request.format().sampleRate();
        this.callId = request.callId();
        int bytesPerSample = settings.encoding() == AudioFormat.Encoding.PCM16 ? 2 : 1;
        this.maxPendingBytes = (long) sampleRate * bytesPerSample * settings.maxPendingAudio().toMillis() / 1000;
        this.lastAudioAt = settings.nanoClock().getAsLong();
        this.lastKeepAliveAt = lastAudioAt;
    }

    static DeepgramSttStream connect(HttpClient http, URI uri, String authorization, SttRequest request,
            Settings settings) {
        var stream = new DeepgramSttStream(request, settings);
        stream.connection = WsConnection.connect(http, uri, authorization, settings.connectTimeout(),
                stream.new Handler());
        log.debug("call {}: Deepgram listen stream open ({} Hz)", stream.callId, stream.sampleRate);
        return stream;
    }

    @Override
    public void send(AudioFrame frame) {
        if (closed.get() || finishing || events.terminated()) {
            return;
        }
        if (frame.sampleRate() != sampleRate) {
            throw new IllegalArgumentException("frame at " + frame.sampleRate() + " Hz on a " + sampleRate
                    + " Hz stream");
        }
        if (frame.length() == 0) {
            return; // an empty binary frame makes Deepgram close the stream
        }
        byte[] bytes = settings.encoding() == AudioFormat.Encoding.PCM16
                ? frame.toPcmBytes() : G711.encode(frame, settings.encoding());
        WsConnection c = connection;
        if (c == null) {
            return;
        }
        c.sendBinary(ByteBuffer.wrap(bytes));
        boolean wake = false;
        long now = now();
        lock.lock();
        try {
            lastAudioAt = now;
            audioSinceFinal = true;
            if (!awaitingResponse) {
                awaitingResponse = true;
                unansweredSince = now;
                wake = true;
            }
        } finally {
            lock.unlock();
        }
        if (c.pendingBytes() > maxPendingBytes) {
            fail(Failures.stalled(WHAT, "the socket has not taken the last " + settings.maxPendingAudio().toMillis()
                    + " ms of audio"));
        } else if (wake) {
            events.wake();
        }
    }

    @Override
    public void finalizeTurn() {
        WsConnection c = connection;
        if (closed.get() || finishing || c == null || events.terminated()) {
            return;
        }
        c.sendText(ListenMessage.FINALIZE);
        lock.lock();
        try {
            // with no audio since the last final Deepgram may answer nothing, so only then is a final owed
            if (!audioSinceFinal || finalizeArmed) {
                return;
            }
            finalizeArmed = true;
            finalizeDeadline = now() + settings.finalizeTimeout().toNanos();
        } finally {
            lock.unlock();
        }
        events.wake();
    }

    @Override
    public void finish() {
        WsConnection c = connection;
        if (closed.get() || finishing || c == null || events.terminated()) {
            return;
        }
        finishing = true;
        c.sendText(ListenMessage.CLOSE_STREAM);
        lock.lock();
        try {
            finishArmed = true;
            finishDeadline = now() + settings.finishTimeout().toNanos();
        } finally {
            lock.unlock();
        }
        events.wake();
    }

    @Override
    public Optional<SttEvent> next() {
        while (!closed.get()) {
            Duration wait = keepTime();
            switch (events.poll(wait)) {
                case EventQueue.Item.Event<SttEvent>(var event) -> {
                    return Optional.of(event);
                }
                case EventQueue.Item.End<SttEvent>() -> {
                    return Optional.empty();
                }
                case EventQueue.Item.Failed<SttEvent>(var error) -> throw error;
                case EventQueue.Item.Timeout<SttEvent>() -> {
                    // a duty may be due: loop
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        events.close();
        WsConnection c = connection;
        if (c != null) {
            c.close(CLOSE_GRACE);
        }
        log.debug("call {}: Deepgram listen stream closed", callId);
    }

    /** Sends a due KeepAlive, fails the stream on a passed deadline; returns how long to wait for events. */
    private Duration keepTime() {
        long now = now();
        ParleyException stall = null;
        boolean keepAlive = false;
        long next = now + Duration.ofSeconds(30).toNanos();
        lock.lock();
        try {
            if (!finishing) {
                long due = Math.max(lastAudioAt, lastKeepAliveAt) + settings.keepAlive().toNanos();
                if (now - due >= 0) {
                    keepAlive = true;
                    lastKeepAliveAt = now;
                    due = now + settings.keepAlive().toNanos();
                }
                next = Math.min(next, due);
            }
            if (finalizeArmed) {
                if (now - finalizeDeadline >= 0) {
                    stall = Failures.stalled(WHAT, "no final result within "
                            + settings.finalizeTimeout().toMillis() + " ms of Finalize");
                }
                next = Math.min(next, finalizeDeadline);
            }
            if (awaitingResponse) {
                long limit = settings.responseTimeout().toNanos();
                long deadline = unansweredSince + limit;
                if (now - deadline < 0) {
                    next = Math.min(next, deadline);
                } else if (now - lastAudioAt < limit) {
                    stall = Failures.stalled(WHAT, "no message for " + settings.responseTimeout().toMillis()
                            + " ms while audio was being sent");
                } else {
                    awaitingResponse = false; // audio stopped too: the next frame starts a new wait
                }
            }
            if (finishArmed) {
                if (now - finishDeadline >= 0) {
                    stall = Failures.stalled(WHAT, "the stream did not end within "
                            + settings.finishTimeout().toMillis() + " ms of CloseStream");
                }
                next = Math.min(next, finishDeadline);
            }
        } finally {
            lock.unlock();
        }
        if (stall != null) {
            fail(stall);
        } else if (keepAlive && connection instanceof WsConnection c && !events.terminated()) {
            c.sendText(ListenMessage.KEEP_ALIVE);
            log.trace("call {}: KeepAlive", callId);
        }
        return Duration.ofNanos(Math.max(0, next - now));
    }

    private void fail(ParleyException error) {
        if (closed.get() || !events.fail(error)) {
            return;
        }
        log.warn("call {}: {}", callId, error.getMessage());
        WsConnection c = connection;
        if (c != null) {
            c.abort();
        }
    }

    private long now() {
        return settings.nanoClock().getAsLong();
    }

    /** Socket callbacks (one at a time, on the HTTP client's executor). */
    private final class Handler implements WsConnection.Handler {
        @Override
        public void onText(String message) {
            ListenMessage m;
            try {
                m = ListenMessage.parse(message);
            } catch (ListenMessage.MalformedMessage e) {
                fail(Failures.malformed(WHAT, e.getMessage()));
                return;
            }
            lock.lock();
            try {
                awaitingResponse = false;
                if (m instanceof ListenMessage.Results r && r.isFinal()) {
                    finalizeArmed = false;
                    audioSinceFinal = false;
                }
            } finally {
                lock.unlock();
            }
            switch (m) {
                case ListenMessage.Results r -> {
                    if (!r.isFinal()) {
                        if (!r.transcript().isBlank()) {
                            events.offer(new SttEvent.Interim(r.transcript(), r.confidence(), r.words()));
                        }
                    } else if (!r.transcript().isBlank() || r.speechFinal() || r.fromFinalize()) {
                        events.offer(new SttEvent.Final(r.transcript(), r.confidence(), r.words(), r.speechFinal()));
                    }
                }
                case ListenMessage.SpeechStarted s -> events.offer(new SttEvent.SpeechStarted(s.timestamp()));
                case ListenMessage.UtteranceEnd u -> events.offer(new SttEvent.UtteranceEnd(u.lastWordEnd()));
                case ListenMessage.Metadata md -> log.debug("call {}: Deepgram request {} ended after {}", callId,
                        md.requestId(), md.duration());
                case ListenMessage.Error e -> fail(new DeepgramException("Deepgram reported an error: "
                        + e.description(), true, null));
                case ListenMessage.Other o -> log.debug("call {}: ignoring Deepgram message {}", callId, o.type());
            }
        }

        @Override
        public void onBinary(byte[] message) {
            log.debug("call {}: ignoring a {}-byte binary frame on the listen stream", callId, message.length);
        }

        @Override
        public void onClosed(int code, String reason) {
            if (closed.get()) {
                return;
            }
            if (finishing && code == 1000) {
                log.debug("call {}: Deepgram ended the listen stream", callId);
                events.end();
            } else {
                fail(Failures.closed(WHAT, code, reason));
            }
        }

        @Override
        public void onFailure(Throwable error) {
            // a broken pipe often races the server's close frame, which says why (e.g. DATA-0000): let it arrive
            java.util.concurrent.CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        if (!closed.get() && !events.terminated()) {
                            fail(Failures.lost(WHAT, error));
                        }
                    });
        }
    }
}
