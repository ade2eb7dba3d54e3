package dev.parley.resilience;

import dev.parley.ParleyException;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One synthesis stream down a {@link FallbackTextToSpeech} chain. The writer (send/flush/finish) and the reader
 * (next) are different threads; the lock guards the unfinished pieces, the current provider stream and the audio
 * accounting, and is never held while the reader blocks.
 */
final class FallbackTtsStream implements TtsStream {
    /** Text sent between two flushes; the last piece is open until its flush. */
    private static final class Piece {
        final StringBuilder text = new StringBuilder();
        boolean flushRequested;
    }

    private final TtsRequest request;
    private final Chain<TextToSpeech> chain;
    private final Failover<TextToSpeech> failover;
    private final String filler;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Piece> pieces = new ArrayDeque<>();
    private final List<WordTiming> headWords = new ArrayList<>();
    private @Nullable TtsStream current;
    private @Nullable TtsStream broken;
    private @Nullable RuntimeException brokenBy;
    private long deliveredNanos;
    private long innerBaseNanos;
    private long headAudioNanos;
    private boolean attemptDelivered;
    private boolean finished;
    private volatile boolean closed;
    private boolean done;

    FallbackTtsStream(TtsRequest request, Chain<TextToSpeech> chain, String filler, String name) {
        this.request = request;
        this.chain = chain;
        this.failover = chain.walk(request.callId());
        this.filler = filler;
        this.name = name;
    }

    @Override
    public void send(String text) {
        lock.lock();
        try {
            if (finished || closed) {
                return;
            }
            openPiece().text.append(text);
            forward(s -> s.send(text));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            if (finished || closed) {
                return;
            }
            openPiece().flushRequested = true;
            forward(TtsStream::flush);
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
            forward(TtsStream::finish);
        } finally {
            lock.unlock();
        }
    }

    private Piece openPiece() {
        Piece last = pieces.peekLast();
        if (last == null || last.flushRequested) {
            last = new Piece();
            pieces.addLast(last);
        }
        return last;
    }

    /** Passes a writer call to the current provider; a failure there is handed to the reader. Under the lock. */
    private void forward(java.util.function.Consumer<TtsStream> call) {
        TtsStream s = current;
        if (s == null || s == broken) {
            return;
        }
        try {
            call.accept(s);
        } catch (RuntimeException e) {
            broken = s;
            brokenBy = e;
            s.close(); // wakes the reader, which fails over
        }
    }

    @Override
    public Optional<TtsEvent> next() {
        while (true) {
            TtsStream s;
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
            Optional<TtsEvent> event;
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
                failover.succeeded();
                return Optional.empty();
            }
            onFailure(s, failure);
        }
    }

    /** Translates and records one event of the current provider. Under the lock. */
    private TtsEvent account(TtsEvent event) {
        switch (event) {
            case TtsEvent.Audio a -> {
                long d = a.frame().duration().toNanos();
                deliveredNanos += d;
                if (!attemptDelivered) {
                    attemptDelivered = true;
                    failover.succeeded();
                }
                return a;
            }
            case TtsEvent.Words w -> {
                var shifted = new ArrayList<WordTiming>(w.words().size());
                for (WordTiming t : w.words()) {
                    shifted.add(new WordTiming(t.word(), t.start().plusNanos(innerBaseNanos), t.end().plusNanos(innerBaseNanos)));
                }
                headWords.addAll(shifted);
                return new TtsEvent.Words(shifted);
            }
            case TtsEvent.Flushed f -> {
                Piece head = pieces.peekFirst();
                if (head != null && head.flushRequested) {
                    pieces.removeFirst();
                }
                headWords.clear();
                headAudioNanos = deliveredNanos;
                return f;
            }
        }
    }

    private void openNext() {
        attemptDelivered = false;
        Optional<TtsStream> opened = failover.open(provider -> {
            TtsStream raw = provider.open(request);
            TtsStream s = chain.deadlines().map(d -> d.guard(raw, provider.name(), request.callId())).orElse(raw);
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
                innerBaseNanos = deliveredNanos;
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
            failover.report("all-failed", name, "every text-to-speech provider failed");
            throw new ParleyException("every text-to-speech provider failed (" + name + ")", false, null);
        }
    }

    /** Sends the unfinished pieces (and finish) to a new provider stream. Under the lock. */
    private void replay(TtsStream s) {
        for (Piece p : pieces) {
            if (!p.text.isEmpty()) {
                s.send(p.text.toString());
            }
            if (p.flushRequested) {
                s.flush();
            }
        }
        if (finished) {
            s.finish();
        }
    }

    private void onFailure(TtsStream s, RuntimeException e) {
        boolean midUtterance;
        lock.lock();
        try {
            if (current == s) {
                current = null;
            }
            if (broken == s) {
                broken = null;
                brokenBy = null;
            }
            midUtterance = deliveredNanos > headAudioNanos;
            if (midUtterance) {
                trimHeardWords();
            }
        } finally {
            lock.unlock();
        }
        s.close();
        if (closed) {
            return;
        }
        failover.failed(e, midUtterance);
    }

    /**
     * Drops from the first unfinished piece the words whose audio the caller already got (known from word timings),
     * and puts the filler before the rest. Under the lock.
     */
    private void trimHeardWords() {
        Piece head = pieces.peekFirst();
        if (head == null) {
            return;
        }
        String text = head.text.toString();
        int cut = 0;
        int cursor = 0;
        for (WordTiming w : headWords) {
            int at = text.indexOf(w.word(), cursor);
            if (at < 0) {
                break;
            }
            cursor = at + w.word().length();
            if (w.end().toNanos() <= deliveredNanos) {
                cut = cursor;
            } else {
                break;
            }
        }
        String rest = text.substring(cut).stripLeading();
        head.text.setLength(0);
        head.text.append(filler).append(rest);
        headWords.clear();
        headAudioNanos = deliveredNanos;
    }

    @Override
    public void close() {
        TtsStream s;
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
