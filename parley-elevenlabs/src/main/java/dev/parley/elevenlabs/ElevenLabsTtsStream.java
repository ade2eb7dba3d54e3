package dev.parley.elevenlabs;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.audio.G711;
import dev.parley.audio.Pcm;
import dev.parley.provider.AudioReframer;
import dev.parley.provider.EventQueue;
import dev.parley.elevenlabs.internal.Failures;
import dev.parley.elevenlabs.internal.Messages;
import dev.parley.elevenlabs.internal.StreamSocket;
import dev.parley.elevenlabs.internal.WordAssembler;
import dev.parley.provider.WsConnection;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reply on its own {@code stream-input} socket. Text goes out with a trailing space; each
 * {@link #flush()} sends {@code flush:true}. The protocol has no end-of-flush message, so a flush is
 * answered once the alignment has voiced as many letters and digits as were sent before it (or, if
 * the server sends no alignment, after {@code flushQuiet} without audio); {@code isFinal} (after
 * the EOS of {@link #finish()}) answers the rest. Closing closes the socket (there is no cancel).
 */
final class ElevenLabsTtsStream implements TtsStream {
    record Settings(int sampleRate, boolean ulaw, Duration frame, Duration firstByteTimeout, Duration maxAudioGap,
            Duration flushQuiet) {}

    /** A flush in flight: answered once the audio reaches the end of its last letter. */
    private static final class Flush {
        final int target;
        int answers = 1;
        @Nullable Duration end;

        Flush(int target) {
            this.target = target;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ElevenLabsTtsStream.class);
    static final String PROVIDER = "elevenlabs";
    private static final Duration CLOSE_GRACE = Duration.ofMillis(500);
    /** Rounding in the alignment's milliseconds. */
    private static final Duration END_SLACK = Duration.ofMillis(5);

    private final StreamSocket socket;
    private final Settings settings;
    private final String callId;
    private final Runnable onEnd;
    private final EventQueue<TtsEvent> events = new EventQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private final AudioReframer reframer;
    private final WordAssembler words = new WordAssembler();
    private final ArrayDeque<Flush> inFlight = new ArrayDeque<>();
    private int sentSpoken;
    private int alignedSpoken;
    private boolean alignmentSeen;
    private boolean sentAny;
    private boolean textSinceFlush;
    private boolean finishing;
    private boolean finalSeen;
    private boolean audioFlowing;
    private long lastEvent;
    private long samplesReceived;

    ElevenLabsTtsStream(StreamSocket socket, Settings settings, String callId, Runnable onEnd) {
        this.socket = socket;
        this.settings = settings;
        this.callId = callId;
        this.onEnd = onEnd;
        this.reframer = new AudioReframer(settings.sampleRate(), settings.frame());
        socket.attach(new Handler());
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
            // "" would end the stream; every piece ends with a space so words never merge
            socket.send(Messages.text(Character.isWhitespace(text.charAt(text.length() - 1)) ? text : text + " "));
            sentSpoken += WordAssembler.countSpoken(text);
            sentAny = true;
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
            if (textSinceFlush) {
                if (inFlight.isEmpty()) {
                    lastEvent = System.nanoTime();
                    audioFlowing = false;
                }
                socket.send(Messages.flush());
                textSinceFlush = false;
                if (inFlight.isEmpty() && sentSpoken <= alignedSpoken && alignmentSeen) {
                    answerNow = true; // nothing left to voice (no letters since the last flush)
                } else {
                    inFlight.addLast(new Flush(sentSpoken));
                }
            } else if (!inFlight.isEmpty()) {
                inFlight.peekLast().answers++;
            } else {
                answerNow = true;
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
        boolean endNow;
        lock.lock();
        try {
            if (finishing) {
                return;
            }
            finishing = true;
            endNow = !sentAny;
            if (!endNow) {
                if (inFlight.isEmpty()) {
                    lastEvent = System.nanoTime();
                    audioFlowing = false;
                }
                socket.send(Messages.eos());
            }
        } finally {
            lock.unlock();
        }
        if (endNow) {
            events.end();
            release();
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
        } finally {
            lock.unlock();
        }
        release(); // barge-in: stream-input has no cancel; closing the socket stops generation
    }

    private void release() {
        socket.close(CLOSE_GRACE);
        onEnd.run();
    }

    /** Whether audio or an answer is owed. Under lock. */
    private boolean expecting() {
        return !events.terminated() && (!inFlight.isEmpty() || (finishing && sentAny && !finalSeen));
    }

    private Duration untilDeadline() {
        lock.lock();
        try {
            if (!expecting()) {
                return Duration.ofSeconds(1);
            }
            long limit = (audioFlowing ? settings.maxAudioGap() : settings.firstByteTimeout()).toNanos();
            if (audioFlowing && quietEnds()) {
                limit = Math.min(limit, settings.flushQuiet().toNanos());
            }
            return Duration.ofNanos(Math.max(0, lastEvent + limit - System.nanoTime()));
        } finally {
            lock.unlock();
        }
    }

    private void checkDeadline() {
        String why = null;
        List<TtsEvent> out = new ArrayList<>();
        lock.lock();
        try {
            if (!expecting()) {
                return;
            }
            long waited = System.nanoTime() - lastEvent;
            if (audioFlowing && quietEnds() && waited > settings.flushQuiet().toNanos()) {
                answer(inFlight.removeFirst(), out); // all letters voiced (or no alignment): quiet ends it
                audioFlowing = false;
                lastEvent = System.nanoTime();
            } else if (audioFlowing && waited > settings.maxAudioGap().toNanos()) {
                why = "no audio for " + waited / 1_000_000 + " ms mid-utterance (limit "
                        + settings.maxAudioGap().toMillis() + " ms)";
            } else if (!audioFlowing && waited > settings.firstByteTimeout().toNanos()) {
                why = "no audio " + waited / 1_000_000 + " ms after the flush (limit "
                        + settings.firstByteTimeout().toMillis() + " ms)";
            }
        } finally {
            lock.unlock();
        }
        out.forEach(events::offer);
        if (why != null) {
            fail(Failures.stalled(why), "stall");
            socket.abort();
            onEnd.run();
        }
    }

    /** Under lock: whether a quiet spell may end the head flush (letters all voiced, or no alignment at all). */
    private boolean quietEnds() {
        Flush head = inFlight.peekFirst();
        return head != null && (!alignmentSeen || head.end != null);
    }

    /** Under lock: the rest of the audio and words before a flush's answers. */
    private void answer(Flush f, List<TtsEvent> out) {
        reframer.drain().ifPresent(a -> out.add(new TtsEvent.Audio(a)));
        List<WordTiming> w = words.drain();
        if (!w.isEmpty()) {
            out.add(new TtsEvent.Words(w));
        }
        for (int i = 0; i < f.answers; i++) {
            out.add(new TtsEvent.Flushed());
        }
    }

    private void fail(ElevenLabsException error, String kind) {
        if (!closed.get() && events.fail(error)) {
            log.warn("call {}: ElevenLabs stream failed: {}", callId, error.getMessage());
            ProviderEvents.report(callId, new ProviderEvent(kind, PROVIDER, error.getMessage()));
        }
    }

    private byte[] pcm(byte[] wire) {
        return settings.ulaw() ? Pcm.toBytesLE(G711.decodeMuLaw(wire)) : wire;
    }

    private final class Handler implements WsConnection.Handler {
        @Override
        public void onText(String text) {
            if (closed.get()) {
                return;
            }
            Messages.Server m;
            try {
                m = Messages.parse(text);
            } catch (Messages.MalformedException e) {
                fail(Failures.malformed(e.getMessage()), "error");
                socket.abort();
                onEnd.run();
                return;
            }
            List<TtsEvent> out = new ArrayList<>();
            boolean end = false;
            ElevenLabsException error = null;
            lock.lock();
            try {
                lastEvent = System.nanoTime();
                switch (m) {
                    case Messages.Server.Audio(var audio, var alignment, var isFinal) -> {
                        byte[] pcm = pcm(audio);
                        Duration offset = Duration.ofNanos(samplesReceived * 1_000_000_000L / settings.sampleRate());
                        samplesReceived += pcm.length / 2;
                        if (pcm.length > 0) {
                            audioFlowing = true;
                        }
                        reframer.add(pcm).forEach(f -> out.add(new TtsEvent.Audio(f)));
                        if (alignment.isPresent()) {
                            alignmentSeen = true;
                            List<WordTiming> w = words.add(alignment.get(), offset);
                            if (!w.isEmpty()) {
                                out.add(new TtsEvent.Words(w));
                            }
                            for (Messages.Char c : alignment.get()) {
                                alignedSpoken += WordAssembler.countSpoken(c.ch());
                                Duration charEnd = offset.plusMillis(c.startMs() + c.durationMs());
                                for (Flush f : inFlight) {
                                    if (f.end == null && alignedSpoken >= f.target) {
                                        f.end = charEnd; // its last letter: audio runs until this ends
                                    }
                                }
                            }
                        }
                        Duration received = Duration.ofNanos(samplesReceived * 1_000_000_000L
                                / settings.sampleRate());
                        while (!inFlight.isEmpty() && inFlight.peekFirst().end != null
                                && received.plus(END_SLACK).compareTo(inFlight.peekFirst().end) >= 0) {
                            answer(inFlight.removeFirst(), out);
                            audioFlowing = false;
                        }
                        end = isFinal && finished(out);
                    }
                    case Messages.Server.Final() -> end = finished(out);
                    case Messages.Server.Error(var said) -> error = Failures.closed(1008, "", said);
                }
            } finally {
                lock.unlock();
            }
            out.forEach(events::offer);
            if (error != null) {
                fail(error, "error"); // the server closes next; the close adds nothing
            } else if (end) {
                events.end();
                onEnd.run();
            }
        }

        /** Under lock: isFinal answers every flush still in flight. */
        private boolean finished(List<TtsEvent> out) {
            finalSeen = true;
            audioFlowing = false;
            while (!inFlight.isEmpty()) {
                answer(inFlight.removeFirst(), out);
            }
            Flush none = new Flush(0);
            none.answers = 0;
            answer(none, out);
            return true;
        }

        @Override
        public void onClosed(int code, String reason) {
            boolean expected;
            lock.lock();
            try {
                expected = finalSeen;
            } finally {
                lock.unlock();
            }
            if (!expected && !closed.get()) {
                fail(Failures.closed(code, reason, null), "error");
            }
            onEnd.run();
        }

        @Override
        public void onFailure(Throwable error) {
            if (!closed.get()) {
                fail(Failures.lost(error), "error");
            }
            onEnd.run();
        }
    }
}
