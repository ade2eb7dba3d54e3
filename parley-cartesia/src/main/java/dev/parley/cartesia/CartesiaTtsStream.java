package dev.parley.cartesia;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.provider.AudioReframer;
import dev.parley.cartesia.internal.CartesiaSocket;
import dev.parley.provider.EventQueue;
import dev.parley.cartesia.internal.Failures;
import dev.parley.cartesia.internal.Messages;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reply on the shared socket: one Cartesia context whose inputs all carry {@code continue:true}
 * (so the pieces are one utterance), a {@code flush:true} input per {@link #flush()} (each
 * {@code flush_done} answers the oldest flush in flight) and an empty {@code continue:false} input on
 * {@link #finish()}. When the context sat idle past {@code contextIdle} (Cartesia expires contexts
 * about 1 s after their last audio), the next text opens a fresh context and timestamps continue from
 * the audio delivered so far. The reader enforces the time to first audio and the largest gap.
 */
final class CartesiaTtsStream implements TtsStream {
    record Settings(String model, String voiceId, String language, int sampleRate, boolean timestamps,
            Optional<Duration> maxBufferDelay, Duration frame, Duration firstByteTimeout, Duration maxAudioGap,
            Duration contextIdle) {}

    private static final Logger log = LoggerFactory.getLogger(CartesiaTtsStream.class);
    static final String PROVIDER = "cartesia";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final CartesiaSocket socket;
    private final Settings settings;
    private final String callId;
    private final EventQueue<TtsEvent> events = new EventQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private final AudioReframer reframer;
    private final ArrayDeque<Integer> inFlight = new ArrayDeque<>();
    private Messages.Context context;
    private Duration contextOffset = Duration.ZERO;
    private boolean started;
    private boolean contextEnded;
    private boolean textSinceFlush;
    private boolean finishing;
    private boolean audioFlowing;
    private char lastChar = ' ';
    private long lastEvent;

    CartesiaTtsStream(CartesiaSocket socket, Settings settings, String callId) {
        this.socket = socket;
        this.settings = settings;
        this.callId = callId;
        this.reframer = new AudioReframer(settings.sampleRate(), settings.frame());
        this.context = newContext();
    }

    /** The current context id (tests and logs). */
    String contextId() {
        lock.lock();
        try {
            return context.contextId();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(String text) {
        if (text.isEmpty() || closed.get() || events.terminated()) {
            return;
        }
        lock.lock();
        try {
            if (finishing) {
                return;
            }
            if (started && (contextEnded || idleTooLong())) {
                rotate();
            }
            String piece = !Character.isWhitespace(lastChar) && !Character.isWhitespace(text.charAt(0))
                    ? " " + text : text; // pieces are concatenated verbatim
            if (!started) {
                socket.register(context.contextId(), new Listener(context.contextId()));
                started = true;
            }
            socket.connection().sendText(Messages.input(context, piece, true, false));
            lastChar = text.charAt(text.length() - 1);
            textSinceFlush = true;
        } catch (CartesiaException e) {
            fail(e, "error");
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
            if (textSinceFlush) {
                if (inFlight.isEmpty()) {
                    lastEvent = System.nanoTime();
                    audioFlowing = false;
                }
                socket.connection().sendText(Messages.input(context, "", true, true));
                inFlight.addLast(1);
                textSinceFlush = false;
            } else if (!inFlight.isEmpty()) {
                inFlight.addLast(inFlight.removeLast() + 1); // nothing new: answered with the last one
            } else {
                answerNow = true; // nothing sent since the last answer
            }
        } catch (CartesiaException e) {
            fail(e, "error");
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
        boolean endNow = false;
        lock.lock();
        try {
            if (finishing) {
                return;
            }
            finishing = true;
            if (!started || (!textSinceFlush && (contextEnded || idleTooLong()))) {
                if (started && !contextEnded) {
                    socket.sendIfOpen(Messages.cancel(context.contextId())); // nothing owed; may have expired
                    contextEnded = true;
                    socket.unregister(context.contextId());
                }
                endNow = true;
                answerAll(new ArrayList<>()).forEach(events::offer);
            } else {
                if (inFlight.isEmpty()) {
                    lastEvent = System.nanoTime();
                    audioFlowing = false;
                }
                socket.connection().sendText(Messages.input(context, "", false, false));
            }
        } catch (CartesiaException e) {
            fail(e, "error");
        } finally {
            lock.unlock();
        }
        if (endNow) {
            finished();
        }
        events.wake();
    }

    @Override
    public Optional<TtsEvent> next() {
        while (!closed.get()) {
            switch (events.poll(untilDeadline())) {
                case EventQueue.Item.Event<TtsEvent>(var event) -> {
                    return Optional.of(event);
                }
                case EventQueue.Item.End<TtsEvent>() -> {
                    return Optional.empty();
                }
                case EventQueue.Item.Failed<TtsEvent>(var error) -> throw error;
                case EventQueue.Item.Timeout<TtsEvent>() -> checkDeadline();
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
        lock.lock();
        try {
            reframer.reset();
            if (started && !contextEnded) {
                socket.sendIfOpen(Messages.cancel(context.contextId())); // barge-in: stop generating
            }
            contextEnded = true;
            socket.unregister(context.contextId());
        } finally {
            lock.unlock();
        }
    }

    private Messages.Context newContext() {
        return new Messages.Context("parley-" + UUID.randomUUID(), settings.model(), settings.voiceId(),
                settings.language(), settings.sampleRate(), settings.timestamps(), settings.maxBufferDelay());
    }

    /** Whether the context has been quiet so long that Cartesia may have expired it. Under lock. */
    private boolean idleTooLong() {
        return inFlight.isEmpty() && !textSinceFlush && lastEvent != 0
                && System.nanoTime() - lastEvent > settings.contextIdle().toNanos();
    }

    /** Continues on a fresh context. Under lock. */
    private void rotate() {
        String old = context.contextId();
        if (!contextEnded) {
            socket.sendIfOpen(Messages.cancel(old));
        }
        socket.unregister(old);
        reframer.drain().ifPresent(f -> events.offer(new TtsEvent.Audio(f)));
        contextOffset = reframer.delivered();
        context = newContext();
        started = false;
        contextEnded = false;
        log.debug("call {}: Cartesia context {} idle; continuing on {}", callId, old, context.contextId());
    }

    private Duration untilDeadline() {
        lock.lock();
        try {
            if (!expecting()) {
                return Duration.ofSeconds(1);
            }
            long limit = (audioFlowing ? settings.maxAudioGap() : settings.firstByteTimeout()).toNanos();
            return Duration.ofNanos(Math.max(0, lastEvent + limit - System.nanoTime()));
        } finally {
            lock.unlock();
        }
    }

    private void checkDeadline() {
        String why = null;
        lock.lock();
        try {
            if (!expecting()) {
                return;
            }
            long waited = System.nanoTime() - lastEvent;
            if (audioFlowing && waited > settings.maxAudioGap().toNanos()) {
                why = "no audio for " + waited / 1_000_000 + " ms mid-utterance (limit "
                        + settings.maxAudioGap().toMillis() + " ms)";
            } else if (!audioFlowing && waited > settings.firstByteTimeout().toNanos()) {
                why = "no audio " + waited / 1_000_000 + " ms after the flush (limit "
                        + settings.firstByteTimeout().toMillis() + " ms)";
            }
            if (why != null && !contextEnded) {
                socket.sendIfOpen(Messages.cancel(context.contextId()));
                contextEnded = true;
                socket.unregister(context.contextId());
            }
        } finally {
            lock.unlock();
        }
        if (why != null) {
            fail(Failures.stalled(why), "stall");
            socket.probe(PROBE_TIMEOUT); // a silent peer may have left the shared socket half-open
        }
    }

    /** Whether audio (or an answer) is owed by the server. Under lock. */
    private boolean expecting() {
        return !events.terminated() && (!inFlight.isEmpty() || (finishing && started && !contextEnded));
    }

    private List<TtsEvent> answerAll(List<TtsEvent> out) {
        reframer.drain().ifPresent(f -> out.add(new TtsEvent.Audio(f)));
        while (!inFlight.isEmpty()) {
            for (int i = inFlight.removeFirst(); i > 0; i--) {
                out.add(new TtsEvent.Flushed());
            }
        }
        return out;
    }

    private void finished() {
        events.end();
    }

    private void fail(CartesiaException error, String kind) {
        if (!closed.get() && events.fail(error)) {
            log.warn("call {}: Cartesia stream failed: {}", callId, error.getMessage());
            ProviderEvents.report(callId, new ProviderEvent(kind, PROVIDER, error.getMessage()));
        }
    }

    /** Messages for one context id; stale ones (after a rotation) are ignored. */
    private final class Listener implements CartesiaSocket.Listener {
        private final String id;

        Listener(String id) {
            this.id = id;
        }

        @Override
        public void onMessage(Messages.Server message) {
            if (closed.get()) {
                return;
            }
            List<TtsEvent> out = new ArrayList<>();
            boolean end = false;
            CartesiaException error = null;
            lock.lock();
            try {
                if (!id.equals(context.contextId())) {
                    return;
                }
                lastEvent = System.nanoTime();
                switch (message) {
                    case Messages.Server.Chunk(var ctx, var audio) -> {
                        audioFlowing = true;
                        reframer.add(audio).forEach(f -> out.add(new TtsEvent.Audio(f)));
                    }
                    case Messages.Server.Timestamps(var ctx, var words) -> {
                        List<WordTiming> timings = new ArrayList<>(words.size());
                        for (Messages.Word w : words) {
                            Duration start = contextOffset.plus(seconds(w.start()));
                            Duration stop = contextOffset.plus(seconds(Math.max(w.start(), w.end())));
                            timings.add(new WordTiming(w.word(), start, stop));
                        }
                        if (!timings.isEmpty()) {
                            out.add(new TtsEvent.Words(timings));
                        }
                    }
                    case Messages.Server.FlushDone(var ctx, var flushId) -> {
                        audioFlowing = false;
                        reframer.drain().ifPresent(f -> out.add(new TtsEvent.Audio(f)));
                        Integer answers = inFlight.pollFirst();
                        for (int i = answers == null ? 0 : answers; i > 0; i--) {
                            out.add(new TtsEvent.Flushed());
                        }
                    }
                    case Messages.Server.Done(var ctx) -> {
                        audioFlowing = false;
                        contextEnded = true;
                        socket.unregister(id);
                        answerAll(out);
                        end = finishing;
                    }
                    case Messages.Server.Error(var ctx, var status, var code, var text) -> {
                        contextEnded = true;
                        socket.unregister(id);
                        error = Failures.error(status, code, text);
                    }
                    case Messages.Server.Other(var ctx, var type) -> { }
                }
            } finally {
                lock.unlock();
            }
            out.forEach(events::offer);
            if (error != null) {
                fail(error, "error");
            } else if (end) {
                finished();
            }
        }

        @Override
        public void onLost(CartesiaException error) {
            lock.lock();
            try {
                if (!id.equals(context.contextId())) {
                    return;
                }
                boolean owed = expecting() || textSinceFlush;
                contextEnded = true;
                if (!owed) {
                    // nothing owed: the next text goes on a fresh context over a new connection
                    log.debug("call {}: Cartesia connection lost between pieces; will reconnect", callId);
                    return;
                }
            } finally {
                lock.unlock();
            }
            fail(error, "error");
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(Math.max(0, s) * 1e9));
    }
}
