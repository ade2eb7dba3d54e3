package dev.parley.twilio;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.AudioSink;
import dev.parley.spi.CallInfo;
import dev.parley.spi.CallTransport;
import dev.parley.spi.TransportEvent;
import dev.parley.twilio.TwilioMessage.Inbound;
import dev.parley.twilio.TwilioProtocolException.Reason;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CallTransport} over one Twilio Media Streams WebSocket, independent of the web server: the
 * server feeds it inbound text frames ({@link #onMessage}) and the end of the connection ({@link #onClose});
 * it answers through a {@link TwilioSocket}.
 *
 * <p>Inbound μ-law becomes 8 kHz PCM16 {@link TransportEvent.Media}; mark echoes, DTMF and {@code stop} become
 * events. Outbound audio (any rate) is encoded to μ-law and queued without blocking; one virtual thread per
 * connection sends the queue as fast as the socket takes it (Twilio buffers and paces playback). A client
 * that stays too slow, floods messages, sends too many malformed messages or breaks the protocol (wrong
 * stream id, messages out of order) has its connection closed: only its own call ends.
 *
 * <p>Threads: {@code onMessage}/{@code onClose} come from the server (one at a time per connection); the sink
 * is used by the call's audio pump and conductor; {@link #next} by the call's reader. All are safe together.
 */
public final class TwilioTransport implements CallTransport {
    /** WebSocket close codes used. */
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_POLICY = 1008;
    public static final int CLOSE_ERROR = 1011;
    public static final int CLOSE_TRY_LATER = 1013;

    private static final Logger log = LoggerFactory.getLogger(TwilioTransport.class);
    private static final Object END = new Object();
    private static final int MAX_MESSAGES_BEFORE_START = 4;
    private static final int LOUD_ERRORS = 3;

    /** Told about {@code start} (on the server's thread, before later messages are read); may {@link #reject}. */
    @FunctionalInterface
    public interface StartListener {
        void started(TwilioTransport transport, TwilioMessage.Start start);
    }

    /** Hooks for metrics; called on the transport's threads, so keep them quick. */
    public interface Observer {
        /** Agent audio was queued for sending. */
        default void audioQueued(Duration audio) {}

        /** A malformed message was refused (counted toward the limit). */
        default void malformed(TwilioProtocolException e) {}
    }

    private final TwilioSocket socket;
    private final TwilioCodec codec;
    private final @Nullable TwilioRestClient rest;
    private final String transferNumber;
    private final int maxMalformed;
    private final int maxMessagesPerSecond;
    private final InstantSource clock;
    private final StartListener startListener;
    private final Observer observer;

    private final Object readerLock = new Object();
    private final TwilioStreamState state = new TwilioStreamState();
    private final LinkedBlockingQueue<Object> inbound;
    private final SendQueue outbound;
    private final Object sinkLock = new Object();
    private final TwilioAudio.Encoder encoder = TwilioAudio.encoder();
    private final Sink sink = new Sink();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile @Nullable String streamSid;
    private volatile @Nullable CallInfo info;
    private volatile boolean endDelivered;
    private double tokens;
    private @Nullable Instant refilledAt;
    private int beforeStart;

    private TwilioTransport(Builder b) {
        this.socket = b.socket;
        this.codec = b.codec;
        this.rest = b.rest;
        this.transferNumber = b.transferNumber;
        this.maxMalformed = b.maxMalformed;
        this.maxMessagesPerSecond = b.maxMessagesPerSecond;
        this.clock = b.clock;
        this.startListener = b.startListener;
        this.observer = b.observer;
        this.inbound = new LinkedBlockingQueue<>(b.inboundCapacity);
        this.outbound = new SendQueue(b.sendQueueCapacity, b.slowClientTimeout, b.clock);
        this.tokens = maxMessagesPerSecond;
        Thread.ofVirtual().name("twilio-send").start(this::sendLoop);
    }

    /** A transport answering through {@code socket}. */
    public static Builder builder(TwilioSocket socket) {
        return new Builder(socket);
    }

    // ---- inbound: called by the web server -------------------------------------------------------------------

    /** One inbound text frame. Never throws: bad input is counted, logged and may close the connection. */
    public void onMessage(String text) {
        synchronized (readerLock) {
            if (ended.get()) {
                return;
            }
            received.incrementAndGet();
            if (!withinRate()) {
                violation("more than " + maxMessagesPerSecond + " messages per second");
                return;
            }
            if (!state.started() && ++beforeStart > MAX_MESSAGES_BEFORE_START) {
                violation("no start message");
                return;
            }
            Inbound message;
            try {
                message = state.accept(codec.decode(text));
            } catch (TwilioProtocolException e) {
                switch (e.reason()) {
                    case WRONG_STREAM_ID, WRONG_MEDIA_FORMAT, OUT_OF_ORDER -> violation(e.getMessage());
                    case UNKNOWN_EVENT -> {
                        ignored.incrementAndGet();
                        log.debug("stream {}: ignored {}", streamSid, e.getMessage());
                    }
                    case BAD_JSON, MISSING_FIELD, INVALID_FIELD, BAD_BASE64, OVERSIZED -> refuse(e);
                }
                return;
            }
            dispatch(message);
        }
    }

    /** A binary frame: Twilio never sends one; it counts as malformed. */
    public void onBinaryMessage(int length) {
        synchronized (readerLock) {
            if (!ended.get()) {
                received.incrementAndGet();
                refuse(new TwilioProtocolException(Reason.BAD_JSON, "binary frame of " + length + " bytes"));
            }
        }
    }

    /** The connection closed (by the peer or the server). */
    public void onClose() {
        end(CLOSE_NORMAL, "connection closed", "connection closed", false);
    }

    /** Refuses the stream (e.g. a bad call token): closes the connection; no audio flows. */
    public void reject(int code, String reason) {
        end(code, reason, "rejected: " + reason, true);
    }

    private void dispatch(Inbound message) {
        switch (message) {
            case TwilioMessage.Connected c -> { }
            case TwilioMessage.Start s -> {
                streamSid = s.streamSid();
                info = callInfo(s);
                log.debug("stream {} started for call {}", s.streamSid(), s.callSid());
                try {
                    startListener.started(this, s);
                } catch (RuntimeException e) {
                    log.warn("stream {}: start listener failed: {}", s.streamSid(), e.toString());
                    end(CLOSE_ERROR, "server error", "server error", true);
                }
            }
            case TwilioMessage.Media m -> {
                if (m.track() == TwilioMessage.Track.INBOUND && m.payload().length > 0) {
                    deliver(new TransportEvent.Media(TwilioAudio.toFrame(m)));
                }
            }
            case TwilioMessage.Mark m -> deliver(new TransportEvent.MarkPlayed(m.name()));
            case TwilioMessage.Dtmf d -> deliver(new TransportEvent.Dtmf(d.digit()));
            case TwilioMessage.Stop s -> end(CLOSE_NORMAL, "stream stopped", "caller hung up", true);
        }
    }

    private static CallInfo callInfo(TwilioMessage.Start s) {
        Map<String, String> params = new HashMap<>(s.customParameters());
        params.remove(CallToken.PARAMETER);
        String from = params.getOrDefault("from", params.getOrDefault("From", ""));
        String to = params.getOrDefault("to", params.getOrDefault("To", ""));
        return new CallInfo(s.callSid(), from, to, params);
    }

    private void deliver(TransportEvent event) {
        if (!inbound.offer(event)) {
            log.warn("stream {}: the call does not read its audio; ending it", streamSid);
            end(CLOSE_ERROR, "server overloaded", "agent too slow", true);
        }
    }

    private boolean withinRate() {
        Instant now = clock.instant();
        if (refilledAt != null) {
            double seconds = Math.max(0, Duration.between(refilledAt, now).toNanos() / 1e9);
            tokens = Math.min(maxMessagesPerSecond, tokens + seconds * maxMessagesPerSecond);
        }
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void refuse(TwilioProtocolException e) {
        long n = malformed.incrementAndGet();
        observer.malformed(e);
        if (n <= LOUD_ERRORS) {
            log.warn("stream {}: malformed message #{} refused: {}", streamSid, n, e.getMessage());
        } else {
            log.debug("stream {}: malformed message #{} refused: {}", streamSid, n, e.getMessage());
        }
        if (n > maxMalformed) {
            violation("more than " + maxMalformed + " malformed messages");
        }
    }

    private void violation(String what) {
        log.warn("stream {}: closing the connection: {}", streamSid, what);
        end(CLOSE_POLICY, "protocol violation", "protocol violation: " + what, true);
    }

    // ---- the CallTransport side ------------------------------------------------------------------------------

    @Override
    public CallInfo info() {
        CallInfo i = info;
        if (i == null) {
            throw new IllegalStateException("the stream has not started yet");
        }
        return i;
    }

    /** The call info once {@code start} arrived. */
    public Optional<CallInfo> callInfo() {
        return Optional.ofNullable(info);
    }

    @Override
    public AudioFormat inboundFormat() {
        return AudioFormat.PCM_8K;
    }

    @Override
    public AudioSink sink() {
        return sink;
    }

    @Override
    public Optional<TransportEvent> next() {
        if (endDelivered) {
            return Optional.empty();
        }
        Object item;
        try {
            item = inbound.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (item == END) {
            endDelivered = true;
            inbound.offer(END); // later readers end too
            return Optional.empty();
        }
        TransportEvent event = (TransportEvent) item;
        if (event instanceof TransportEvent.HungUp) {
            endDelivered = true;
        }
        return Optional.of(event);
    }

    /** Hands the call to the configured number with {@code <Dial>}; false when no number or REST client is set. */
    @Override
    public boolean transfer(String reason) {
        CallInfo i = info;
        if (rest == null || transferNumber.isEmpty() || i == null || ended.get()) {
            return false;
        }
        try {
            rest.transfer(i.callId(), transferNumber);
            log.info("call {} transferred ({})", i.callId(), reason);
            return true;
        } catch (RuntimeException e) {
            log.warn("call {}: transfer failed: {}", i.callId(), e.getMessage());
            return false;
        }
    }

    /** Ends the call: {@code Status=completed} through the REST API when configured, and closes the socket. */
    @Override
    public void hangUp() {
        CallInfo i = info;
        if (rest != null && i != null && !ended.get()) {
            try {
                rest.hangUp(i.callId());
            } catch (TwilioApiException e) {
                log.debug("call {}: REST hang-up failed ({}); closing the stream instead", i.callId(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("call {}: REST hang-up failed: {}", i.callId(), e.toString());
            }
        }
        end(CLOSE_NORMAL, "call ended", "agent hung up", true);
    }

    /** Releases the connection: closes the socket and ends {@link #next()} at once. Idempotent. */
    @Override
    public void close() {
        end(CLOSE_NORMAL, "call ended", "", true);
        inbound.clear();
        inbound.offer(END);
    }

    /** Completes with the reason once the connection has ended, whoever ended it. */
    public CompletionStage<String> whenClosed() {
        return closed.copy();
    }

    public boolean isOpen() {
        return !ended.get();
    }

    /** Messages received, malformed ones refused, unknown events ignored, frames sent and media dropped. */
    public record Stats(long received, long malformed, long ignored, long sent, long droppedMedia, int queued) {}

    public Stats stats() {
        return new Stats(received.get(), malformed.get(), ignored.get(), sent.get(), outbound.dropped(), outbound.size());
    }

    private void end(int code, String closeReason, String hangUpReason, boolean closeSocket) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        // the reason is known before the call can see the hang-up
        closed.complete(hangUpReason.isEmpty() ? closeReason : hangUpReason);
        outbound.close();
        if (!hangUpReason.isEmpty()) {
            if (!inbound.offer(new TransportEvent.HungUp(hangUpReason))) {
                inbound.clear();
                inbound.offer(new TransportEvent.HungUp(hangUpReason));
            }
        }
        inbound.offer(END);
        if (closeSocket) {
            try {
                socket.close(code, closeReason);
            } catch (RuntimeException e) {
                log.debug("stream {}: close failed: {}", streamSid, e.toString());
            }
        }
    }

    private void sendLoop() {
        try {
            Optional<String> text;
            while ((text = outbound.take()).isPresent()) {
                socket.sendText(text.get());
                sent.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            if (!ended.get()) {
                log.warn("stream {}: send failed, ending the call: {}", streamSid, e.toString());
                end(CLOSE_ERROR, "send failed", "connection failed", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- outbound audio --------------------------------------------------------------------------------------

    private final class Sink implements AudioSink {
        @Override
        public int sampleRate() {
            return TwilioAudio.SAMPLE_RATE;
        }

        @Override
        public void write(AudioFrame frame) {
            synchronized (sinkLock) {
                String sid = streamSid;
                if (sid == null || ended.get()) {
                    return;
                }
                queueMedia(sid, encoder.write(frame));
            }
        }

        @Override
        public void mark(String name) {
            synchronized (sinkLock) {
                String sid = streamSid;
                if (sid == null || ended.get()) {
                    return;
                }
                queueMedia(sid, encoder.flush());
                outbound.offerControl(codec.encode(new TwilioMessage.OutboundMark(sid, name)));
            }
        }

        @Override
        public void clear() {
            synchronized (sinkLock) {
                String sid = streamSid;
                if (sid == null || ended.get()) {
                    return;
                }
                encoder.reset();
                outbound.clearMedia(codec.encode(new TwilioMessage.Clear(sid)));
            }
        }

        private void queueMedia(String sid, List<byte[]> payloads) {
            if (payloads.isEmpty()) {
                return;
            }
            byte[] joined = new byte[payloads.size() * TwilioAudio.FRAME_BYTES];
            for (int i = 0; i < payloads.size(); i++) {
                System.arraycopy(payloads.get(i), 0, joined, i * TwilioAudio.FRAME_BYTES, TwilioAudio.FRAME_BYTES);
            }
            SendQueue.Offer result = outbound.offerMedia(codec.encode(new TwilioMessage.OutboundMedia(sid, joined)));
            switch (result) {
                case QUEUED -> observer.audioQueued(Duration.ofMillis(joined.length / 8L));
                case DROPPED -> log.debug("stream {}: send queue full, audio dropped", sid);
                case TOO_SLOW -> {
                    log.warn("stream {}: client too slow to take audio; ending the call", sid);
                    end(CLOSE_TRY_LATER, "client too slow", "client too slow", true);
                }
                case CLOSED -> { }
            }
        }
    }

    @Override
    public String toString() {
        return "TwilioTransport[stream " + streamSid + "]";
    }

    /** Configures a {@link TwilioTransport}. */
    public static final class Builder {
        private final TwilioSocket socket;
        private TwilioCodec codec = TwilioCodec.create();
        private @Nullable TwilioRestClient rest;
        private String transferNumber = "";
        private int maxMalformed = 20;
        private int maxMessagesPerSecond = 200;
        private int sendQueueCapacity = 1024;
        private int inboundCapacity = 2048;
        private Duration slowClientTimeout = Duration.ofSeconds(5);
        private InstantSource clock = InstantSource.system();
        private StartListener startListener = (t, s) -> { };
        private Observer observer = new Observer() { };

        private Builder(TwilioSocket socket) {
            this.socket = socket;
        }

        /** The codec, with its message and payload size limits. */
        public Builder codec(TwilioCodec codec) {
            this.codec = codec;
            return this;
        }

        /** Call control for {@link #hangUp} and {@link #transfer}; without it, hang-up closes the stream. */
        public Builder restClient(TwilioRestClient rest) {
            this.rest = rest;
            return this;
        }

        /** The number {@link #transfer} dials; empty (the default) means transfer is not possible. */
        public Builder transferNumber(String number) {
            this.transferNumber = number.strip();
            return this;
        }

        /** Malformed messages tolerated before the connection is closed (default 20). */
        public Builder maxMalformed(int n) {
            this.maxMalformed = atLeast(0, n, "maxMalformed");
            return this;
        }

        /** Sustained inbound message rate allowed, also the burst (default 200; Twilio sends about 50). */
        public Builder maxMessagesPerSecond(int n) {
            this.maxMessagesPerSecond = atLeast(1, n, "maxMessagesPerSecond");
            return this;
        }

        /** Outbound frames held for a slow socket before audio is dropped (default 1024). */
        public Builder sendQueueCapacity(int n) {
            this.sendQueueCapacity = atLeast(1, n, "sendQueueCapacity");
            return this;
        }

        /** Inbound events held for the call's reader before the call is ended (default 2048, about 40 s). */
        public Builder inboundCapacity(int n) {
            this.inboundCapacity = atLeast(2, n, "inboundCapacity");
            return this;
        }

        /** How long the send queue may stay full before the call is ended (default 5 s). */
        public Builder slowClientTimeout(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("slowClientTimeout must not be negative");
            }
            this.slowClientTimeout = d;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder onStart(StartListener listener) {
            this.startListener = listener;
            return this;
        }

        public Builder observer(Observer observer) {
            this.observer = observer;
            return this;
        }

        public TwilioTransport build() {
            return new TwilioTransport(this);
        }

        private static int atLeast(int min, int n, String what) {
            if (n < min) {
                throw new IllegalArgumentException(what + " must be at least " + min);
            }
            return n;
        }
    }
}
