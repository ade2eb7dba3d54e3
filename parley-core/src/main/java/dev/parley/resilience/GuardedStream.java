package dev.parley.resilience;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmStream;
import dev.parley.spi.PullStream;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttStream;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull stream under {@link Deadlines}. While the consumer waits in {@link #next()} and output is due, a timer runs
 * to {@code max(entered next(), due since) + limit}; when it fires the inner stream is closed (which, by the
 * {@link PullStream} contract, releases the pending {@code next()}) and {@code next()} throws the stall.
 */
abstract sealed class GuardedStream<T> implements PullStream<T> {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedStream.class);

    private enum Mode { IDLE, DUE, DONE }

    final PullStream<T> inner;
    final Deadlines deadlines;
    private final String provider;
    private final String callId;
    final ReentrantLock lock = new ReentrantLock();
    private Mode mode = Mode.IDLE;
    private Duration limit = Duration.ZERO;
    private boolean first;
    private long dueSince;
    private boolean waiting;
    private long entered;
    private long generation;
    private @Nullable ScheduledFuture<?> timer;
    private @Nullable StalledException stalled;
    private boolean closed;

    GuardedStream(PullStream<T> inner, Deadlines deadlines, String provider, String callId) {
        this.inner = inner;
        this.deadlines = deadlines;
        this.provider = provider;
        this.callId = callId;
    }

    /** Called under the lock after each item: decide what is due next ({@link #due}, {@link #idle}). */
    abstract void afterItem(T item);

    @Override
    public final Optional<T> next() {
        lock.lock();
        try {
            throwIfStalled();
            if (closed || mode == Mode.DONE) {
                return Optional.empty();
            }
            waiting = true;
            entered = System.nanoTime();
            rearm();
        } finally {
            lock.unlock();
        }
        Optional<T> item = Optional.empty();
        try {
            item = inner.next();
        } finally {
            lock.lock();
            try {
                waiting = false;
                cancelTimer();
                throwIfStalled();
                if (item.isPresent()) {
                    afterItem(item.get());
                } else {
                    mode = Mode.DONE;
                }
            } finally {
                lock.unlock();
            }
        }
        return item;
    }

    private void throwIfStalled() {
        if (stalled != null) {
            throw stalled;
        }
    }

    /** Output is due: {@code limit} from now (or from when the consumer next waits, if later). Under the lock. */
    final void due(Duration limit, boolean firstOutput) {
        if (mode == Mode.DONE) {
            return;
        }
        mode = Mode.DUE;
        this.limit = limit;
        this.first = firstOutput;
        this.dueSince = System.nanoTime();
        rearm();
    }

    final boolean isIdle() {
        return mode == Mode.IDLE;
    }

    /** Nothing is due until the next {@link #due}. Under the lock. */
    final void idle() {
        mode = Mode.IDLE;
        cancelTimer();
    }

    private void rearm() {
        cancelTimer();
        if (!waiting || mode != Mode.DUE || stalled != null || closed) {
            return;
        }
        long now = System.nanoTime();
        long deadline = Math.max(entered, dueSince) + limit.toNanos();
        long gen = ++generation;
        timer = deadlines.scheduler().schedule(() -> fire(gen), Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        generation++;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void fire(long gen) {
        StalledException stall;
        lock.lock();
        try {
            if (gen != generation || !waiting || mode != Mode.DUE || stalled != null || closed) {
                return;
            }
            stall = new StalledException(provider, limit, first);
            stalled = stall;
        } finally {
            lock.unlock();
        }
        LOG.debug("{}", stall.getMessage());
        Thread.ofVirtual().name("parley-stall-close").start(() -> {
            inner.close();
            ProviderEvents.report(callId, new ProviderEvent("stall", provider, stall.getMessage()));
        });
    }

    @Override
    public final void close() {
        lock.lock();
        try {
            closed = true;
            cancelTimer();
        } finally {
            lock.unlock();
        }
        inner.close();
    }

    /** LLM: first event due at open, then every gap. */
    static final class Llm extends GuardedStream<LlmEvent> implements LlmStream {
        Llm(LlmStream inner, Deadlines deadlines, String provider, String callId) {
            super(inner, deadlines, provider, callId);
            lock.lock();
            try {
                due(deadlines.firstOutput(), true);
            } finally {
                lock.unlock();
            }
        }

        @Override
        void afterItem(LlmEvent item) {
            due(deadlines.maxGap(), false);
        }
    }

    /** TTS: output due from a flush (or finish) until every flush has its Flushed. */
    static final class Tts extends GuardedStream<TtsEvent> implements TtsStream {
        private final TtsStream tts;
        private int outstanding;
        private boolean finished;

        Tts(TtsStream inner, Deadlines deadlines, String provider, String callId) {
            super(inner, deadlines, provider, callId);
            this.tts = inner;
        }

        @Override
        public void send(String text) {
            tts.send(text);
        }

        // Bookkeeping before the call: an instant provider may deliver the answer before the call returns.
        @Override
        public void flush() {
            lock.lock();
            try {
                outstanding++;
                if (isIdle()) {
                    due(deadlines.firstOutput(), true);
                }
            } finally {
                lock.unlock();
            }
            tts.flush();
        }

        @Override
        public void finish() {
            lock.lock();
            try {
                finished = true;
                if (isIdle()) {
                    due(deadlines.firstOutput(), true);
                }
            } finally {
                lock.unlock();
            }
            tts.finish();
        }

        @Override
        void afterItem(TtsEvent item) {
            if (item instanceof TtsEvent.Flushed && outstanding > 0) {
                outstanding--;
            }
            if (outstanding == 0 && !finished) {
                idle();
            } else {
                due(deadlines.maxGap(), false);
            }
        }
    }

    /**
     * STT: a Final is due after finalizeTurn (when the provider has shown it heard speech since its last Final, so a
     * cough it ignores is not a stall) and the end after finish; optionally results are due while audio is sent.
     */
    static final class Stt extends GuardedStream<SttEvent> implements SttStream {
        private final SttStream stt;
        private boolean heardSinceFinal;
        private boolean awaitingFinal;
        private boolean finished;

        Stt(SttStream inner, Deadlines deadlines, String provider, String callId) {
            super(inner, deadlines, provider, callId);
            this.stt = inner;
        }

        @Override
        public void send(AudioFrame frame) {
            stt.send(frame);
            var silence = deadlines.sttSilenceWhileSending();
            if (silence.isPresent()) {
                lock.lock();
                try {
                    if (isIdle()) {
                        due(silence.get(), false);
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        @Override
        public void finalizeTurn() {
            lock.lock();
            try {
                if (heardSinceFinal && !awaitingFinal) {
                    awaitingFinal = true;
                    due(deadlines.firstOutput(), true);
                }
            } finally {
                lock.unlock();
            }
            stt.finalizeTurn();
        }

        @Override
        public void finish() {
            lock.lock();
            try {
                finished = true;
                due(deadlines.firstOutput(), true);
            } finally {
                lock.unlock();
            }
            stt.finish();
        }

        @Override
        void afterItem(SttEvent item) {
            switch (item) {
                case SttEvent.Final f -> {
                    awaitingFinal = false;
                    heardSinceFinal = false;
                }
                case SttEvent.Interim i -> heardSinceFinal = true;
                case SttEvent.SpeechStarted s -> heardSinceFinal = true;
                case SttEvent.UtteranceEnd u -> { }
            }
            if (awaitingFinal || finished) {
                due(deadlines.maxGap(), false);
            } else {
                idle();
            }
        }
    }
}
