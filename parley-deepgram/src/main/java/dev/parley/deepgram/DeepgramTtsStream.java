package dev.parley.deepgram;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.deepgram.internal.AudioReframer;
import dev.parley.deepgram.internal.EventQueue;
import dev.parley.deepgram.internal.Failures;
import dev.parley.deepgram.internal.ListenMessage;
import dev.parley.deepgram.internal.SpeakMessage;
import dev.parley.deepgram.internal.WsConnection;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/speak} socket. Each Deepgram {@code Flush} in flight carries the number of
 * caller flushes it answers (more than one when the flush rate limit made us merge them), so each
 * {@code Flushed} from the server becomes that many {@link TtsEvent.Flushed}. The reader in
 * {@link #next()} sends flushes held back by the rate limit and enforces the time to first audio
 * and the largest gap between audio chunks.
 */
final class DeepgramTtsStream implements TtsStream {
    record Settings(AudioFormat wire, Duration connectTimeout, Duration firstByteTimeout, Duration maxAudioGap,
            int maxFlushes, Duration flushWindow, Duration frame, LongSupplier nanoClock) {}

    private static final Logger log = LoggerFactory.getLogger(DeepgramTtsStream.class);
    private static final String WHAT = "speech stream";
    private static final Duration CLOSE_GRACE = Duration.ofMillis(500);
    /** Deepgram's commonly cited limit per Speak message. */
    private static final int MAX_SPEAK_CHARS = 2000;

    private final Settings settings;
    private volatile String callId;
    private final EventQueue<TtsEvent> events = new EventQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable WsConnection connection;

    // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private final AudioReframer reframer;
    private final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Long> flushTimes = new ArrayDeque<>();
    private boolean textSinceFlush;
    private boolean flushOwed;
    private int owedFlushed;
    private boolean finishing;
    private boolean audioSinceFlushed;
    private long lastActivity;

    private DeepgramTtsStream(String callId, Settings settings) {
        this.settings = settings;
        this.callId = callId;
        this.reframer = new AudioReframer(settings.wire(), settings.frame());
    }

    /** Whether this connected, untouched stream can still serve a reply (a pre-connected spare). */
    boolean usable() {
        WsConnection c = connection;
        return c != null && c.isOpen() && !closed.get() && !events.terminated();
    }

    /** A spare stream, connected ahead, is given to the call that opens it. */
    DeepgramTtsStream adopt(String callId) {
        this.callId = callId;
        return this;
    }

    static DeepgramTtsStream connect(HttpClient http, URI uri, String authorization, String callId, Settings s) {
        var stream = new DeepgramTtsStream(callId, s);
        stream.connection = WsConnection.connect(http, uri, authorization, s.connectTimeout(), stream.new Handler());
        log.debug("call {}: Deepgram speak stream open ({})", callId, s.wire());
        return stream;
    }

    @Override
    public void send(String text) {
        WsConnection c = connection;
        if (text.isEmpty() || c == null || closed.get() || events.terminated()) {
            return;
        }
        lock.lock();
        try {
            if (finishing) {
                return;
            }
            for (int at = 0; at < text.length(); at += MAX_SPEAK_CHARS) {
                c.sendText(SpeakMessage.speak(text.substring(at, Math.min(text.length(), at + MAX_SPEAK_CHARS))));
            }
            textSinceFlush = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        if (closed.get() || events.terminated()) {
            return;
        }
        boolean answerNow = false;
        lock.lock();
        try {
            if (finishing) {
                return;
            }
            if (textSinceFlush || flushOwed) {
                textSinceFlush = false;
                flushOwed = true;
                owedFlushed++;
                sendOwedFlush(now());
            } else if (!inFlight.isEmpty()) {
                inFlight.addLast(inFlight.removeLast() + 1); // nothing new to say: answer with the last one
            } else {
                answerNow = true; // nothing sent, nothing pending: all audio is already out
            }
        } finally {
            lock.unlock();
        }
        if (answerNow) {
            events.offer(new TtsEvent.Flushed());
        }
        events.wake();
    }

    @Override
    public void finish() {
        if (closed.get() || events.terminated()) {
            return;
        }
        boolean done;
        lock.lock();
        try {
            if (finishing) {
                return;
            }
            finishing = true;
            if (textSinceFlush) {
                textSinceFlush = false;
                flushOwed = true; // the text still needs audio, with no Flushed of its own
                sendOwedFlush(now());
            }
            done = !flushOwed && inFlight.isEmpty();
        } finally {
            lock.unlock();
        }
        if (done) {
            end();
        }
        events.wake();
    }

    @Override
    public Optional<TtsEvent> next() {
        while (!closed.get()) {
            Duration wait = keepTime();
            switch (events.poll(wait)) {
                case EventQueue.Item.Event<TtsEvent>(var event) -> {
                    return Optional.of(event);
                }
                case EventQueue.Item.End<TtsEvent>() -> {
                    return Optional.empty();
                }
                case EventQueue.Item.Failed<TtsEvent>(var error) -> throw error;
                case EventQueue.Item.Timeout<TtsEvent>() -> {
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
        boolean busy;
        lock.lock();
        try {
            busy = flushOwed || !inFlight.isEmpty() || textSinceFlush;
            reframer.reset();
        } finally {
            lock.unlock();
        }
        WsConnection c = connection;
        if (c != null) {
            if (busy && c.isOpen()) {
                c.sendText(SpeakMessage.CLEAR); // stop generating audio nobody will play
            }
            if (c.isOpen()) {
                c.sendText(SpeakMessage.CLOSE);
            }
            c.close(CLOSE_GRACE);
        }
        log.debug("call {}: Deepgram speak stream closed", callId);
    }

    /** Under lock: sends the owed Flush if the rate limit allows. */
    private void sendOwedFlush(long now) {
        while (!flushTimes.isEmpty() && now - flushTimes.peekFirst() >= settings.flushWindow().toNanos()) {
            flushTimes.pollFirst();
        }
        WsConnection c = connection;
        if (!flushOwed || c == null || flushTimes.size() >= settings.maxFlushes()) {
            return;
        }
        c.sendText(SpeakMessage.FLUSH);
        flushTimes.addLast(now);
        if (inFlight.isEmpty()) {
            lastActivity = now;
            audioSinceFlushed = false;
        }
        inFlight.addLast(owedFlushed);
        owedFlushed = 0;
        flushOwed = false;
    }

    /** Sends a held-back flush, fails on a passed deadline; returns how long to wait for events. */
    private Duration keepTime() {
        long now = now();
        long next = now + Duration.ofSeconds(30).toNanos();
        ParleyException stall = null;
        lock.lock();
        try {
            if (flushOwed) {
                sendOwedFlush(now);
                if (flushOwed && !flushTimes.isEmpty()) {
                    next = Math.min(next, flushTimes.peekFirst() + settings.flushWindow().toNanos());
                }
            }
            if (!inFlight.isEmpty()) {
                Duration limit = audioSinceFlushed ? settings.maxAudioGap() : settings.firstByteTimeout();
                long deadline = lastActivity + limit.toNanos();
                if (now - deadline >= 0) {
                    stall = Failures.stalled(WHAT, audioSinceFlushed
                            ? "no audio for " + limit.toMillis() + " ms in the middle of an utterance"
                            : "no audio within " + limit.toMillis() + " ms of Flush");
                }
                next = Math.min(next, deadline);
            }
        } finally {
            lock.unlock();
        }
        if (stall != null) {
            fail(stall);
        }
        return Duration.ofNanos(Math.max(0, next - now));
    }

    private void end() {
        events.end();
        WsConnection c = connection;
        if (c != null && c.isOpen()) {
            c.sendText(SpeakMessage.CLOSE);
            c.close(CLOSE_GRACE);
        }
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
        public void onBinary(byte[] message) {
            if (closed.get()) {
                return;
            }
            List<AudioFrame> frames;
            lock.lock();
            try {
                lastActivity = now();
                audioSinceFlushed = true;
                frames = reframer.add(message);
            } finally {
                lock.unlock();
            }
            for (AudioFrame f : frames) {
                events.offer(new TtsEvent.Audio(f));
            }
        }

        @Override
        public void onText(String message) {
            SpeakMessage m;
            try {
                m = SpeakMessage.parse(message);
            } catch (ListenMessage.MalformedMessage e) {
                fail(Failures.malformed(WHAT, e.getMessage()));
                return;
            }
            switch (m) {
                case SpeakMessage.Flushed f -> flushed();
                case SpeakMessage.Cleared c -> log.debug("call {}: Deepgram cleared ({})", callId, c.sequenceId());
                case SpeakMessage.Warning w -> log.warn("call {}: Deepgram warning {}: {}", callId, w.code(),
                        w.description());
                case SpeakMessage.Metadata md -> log.debug("call {}: Deepgram speak request {} model {}", callId,
                        md.requestId(), md.modelName());
                case SpeakMessage.Other o -> log.debug("call {}: ignoring Deepgram message {}", callId, o.type());
            }
        }

        private void flushed() {
            List<TtsEvent> out = new ArrayList<>();
            boolean done;
            lock.lock();
            try {
                reframer.drain().ifPresent(f -> out.add(new TtsEvent.Audio(f)));
                Integer answers = inFlight.pollFirst();
                for (int i = 0; i < (answers == null ? 0 : answers); i++) {
                    out.add(new TtsEvent.Flushed());
                }
                lastActivity = now();
                audioSinceFlushed = false;
                done = finishing && inFlight.isEmpty() && !flushOwed;
            } finally {
                lock.unlock();
            }
            out.forEach(events::offer);
            if (done) {
                end();
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            if (!closed.get() && !events.terminated()) {
                fail(Failures.closed(WHAT, code, reason));
            }
        }

        @Override
        public void onFailure(Throwable error) {
            if (!closed.get() && !events.terminated()) {
                fail(Failures.lost(WHAT, error));
            }
        }
    }
}
