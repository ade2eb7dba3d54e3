package dev.parley.resilience;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One recognition stream down a {@link FallbackSpeechToText} chain. The audio sender and the reader are different
 * threads; the lock guards the ring buffer and the current provider stream and is never held while the reader
 * blocks. Offsets: "outer" time is audio sent to this stream; a provider stream's time 0 is the outer time of the
 * first frame it was sent.
 */
final class FallbackSttStream implements SttStream {
    /** Without word timings a Final keeps only this much of the most recent audio for replay. */
    private static final long KEEP_WITHOUT_WORDS = Duration.ofMillis(300).toNanos();

    private record Buffered(AudioFrame frame, long start, long end) {}

    private final SttRequest request;
    private final Chain<SpeechToText> chain;
    private final Failover<SpeechToText> failover;
    private final long replayNanos;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Buffered> buffer = new ArrayDeque<>();
    private long bufferedNanos;
    private long outerNanos;
    private long innerBase;
    private @Nullable SttStream current;
    private @Nullable SttStream broken;
    private @Nullable RuntimeException brokenBy;
    private boolean finalizePending;
    private boolean finished;
    private volatile boolean closed;
    private boolean done;

    FallbackSttStream(SttRequest request, Chain<SpeechToText> chain, Duration replay, String name) {
        this.request = request;
        this.chain = chain;
        this.failover = chain.walk(request.callId());
        this.replayNanos = replay.toNanos();
        this.name = name;
    }

    /** Opens the first provider stream (with retries and failover). */
    void start() {
        openNext();
    }

    @Override
    public void send(AudioFrame frame) {
        lock.lock();
        try {
            if (finished || closed) {
                return;
            }
            long d = frame.duration().toNanos();
            buffer.addLast(new Buffered(frame, outerNanos, outerNanos + d));
            outerNanos += d;
            bufferedNanos += d;
            while (!buffer.isEmpty() && bufferedNanos - (buffer.peekFirst().end() - buffer.peekFirst().start()) >= replayNanos) {
                dropFirst();
            }
            forward(s -> s.send(frame));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finalizeTurn() {
        lock.lock();
        try {
            if (finished || closed) {
                return;
            }
            finalizePending = true;
            forward(SttStream::finalizeTurn);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finish() {
        lock.lock();
        try {
            if (finished || closed) {
                return;
            }
            finished = true;
            forward(SttStream::finish);
        } finally {
            lock.unlock();
        }
    }

    private void forward(Consumer<SttStream> call) {
        SttStream s = current;
        if (s == null || s == broken) {
            return;
        }
        try {
            call.accept(s);
        } catch (RuntimeException e) {
            broken = s;
            brokenBy = e;
            s.close();
        }
    }

    @Override
    public Optional<SttEvent> next() {
        while (true) {
            SttStream s;
            lock.lock();
            try {
                if (closed || done) {
                    return Optional.empty();
                }
                s = current;
            } finally {
                lock.unlock();
            }
            if (s == null) {
                openNext();
                continue;
            }
            Optional<SttEvent> event;
            try {
                event = s.next();
            } catch (RuntimeException e) {
                onFailure(s, e);
                continue;
            }
            RuntimeException failure = null;
            lock.lock();
            try {
                if (closed) {
                    return Optional.empty();
                }
                if (event.isPresent()) {
                    failover.succeeded();
                    return Optional.of(account(event.get()));
                }
                if (s == broken) {
                    failure = brokenBy;
                } else if (!finished) {
                    failure = new ParleyException(failover.currentName() + " stream ended before finish", true, null);
                } else {
                    done = true;
                    current = null;
                }
            } finally {
                lock.unlock();
            }
            if (failure == null) {
                s.close();
                return Optional.empty();
            }
            onFailure(s, failure);
        }
    }

    /** Shifts the event into outer time and forgets audio a Final has covered. Under the lock. */
    private SttEvent account(SttEvent event) {
        return switch (event) {
            case SttEvent.Interim i -> new SttEvent.Interim(i.text(), i.confidence(), shift(i.words()));
            case SttEvent.Final f -> {
                var words = shift(f.words());
                finalizePending = false;
                forgetUntil(words.isEmpty() ? outerNanos - KEEP_WITHOUT_WORDS : words.getLast().end().toNanos());
                yield new SttEvent.Final(f.text(), f.confidence(), words, f.endOfSpeech());
            }
            case SttEvent.SpeechStarted s -> new SttEvent.SpeechStarted(s.at().plusNanos(innerBase));
            case SttEvent.UtteranceEnd u -> new SttEvent.UtteranceEnd(u.lastWordEnd().plusNanos(innerBase));
        };
    }

    private List<WordTiming> shift(List<WordTiming> words) {
        var out = new ArrayList<WordTiming>(words.size());
        for (WordTiming w : words) {
            out.add(new WordTiming(w.word(), w.start().plusNanos(innerBase), w.end().plusNanos(innerBase)));
        }
        return out;
    }

    private void forgetUntil(long outer) {
        while (!buffer.isEmpty() && buffer.peekFirst().end() <= outer) {
            dropFirst();
        }
    }

    private void dropFirst() {
        Buffered b = buffer.removeFirst();
        bufferedNanos -= b.end() - b.start();
    }

    private void openNext() {
        Optional<SttStream> opened = failover.open(provider -> {
            SttStream raw = provider.open(request);
            SttStream s = chain.deadlines().map(d -> d.guard(raw, provider.name(), request.callId())).orElse(raw);
            lock.lock();
            try {
                if (closed) {
                    s.close();
                    return s;
                }
                try {
                    replay(s);
                } catch (RuntimeException e) {
                    s.close();
                    throw e;
                }
                current = s;
                return s;
            } finally {
                lock.unlock();
            }
        });
        if (opened.isEmpty() && !closed) {
            lock.lock();
            try {
                done = true;
            } finally {
                lock.unlock();
            }
            failover.report("all-failed", name, "every speech-to-text provider failed");
            throw new ParleyException("every speech-to-text provider failed (" + name + ")", false, null);
        }
    }

    /** Sends the buffered audio (and a pending finalize or finish) to a new provider stream. Under the lock. */
    private void replay(SttStream s) {
        innerBase = buffer.isEmpty() ? outerNanos : buffer.peekFirst().start();
        for (Buffered b : buffer) {
            s.send(b.frame());
        }
        if (finalizePending) {
            s.finalizeTurn();
        }
        if (finished) {
            s.finish();
        }
    }

    private void onFailure(SttStream s, RuntimeException e) {
        lock.lock();
        try {
            if (current == s) {
                current = null;
            }
            if (broken == s) {
                broken = null;
                brokenBy = null;
            }
        } finally {
            lock.unlock();
        }
        s.close();
        if (!closed) {
            failover.failed(e, false);
        }
    }

    @Override
    public void close() {
        SttStream s;
        lock.lock();
        try {
            closed = true;
            s = current;
            current = null;
        } finally {
            lock.unlock();
        }
        failover.close();
        if (s != null) {
            s.close();
        }
        failover.released();
    }
}
