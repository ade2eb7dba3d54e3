package dev.parley.localtts;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.audio.Resampler;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TtsStream} of both local engines. Text is cut into sentences at {@link #flush()} and
 * queued as work; an {@link EngineScheduler} worker synthesises it and hands the native-rate audio
 * to this stream's own queue without ever waiting. The reader's thread resamples to the requested
 * rate ({@link Resampler}, flushed at the end of every piece, so each piece carries the filter's
 * couple of milliseconds of delay) and re-cuts the audio into 20 ms frames, so engine time stays
 * minimal and a slow reader delays nobody but itself.
 *
 * <p>{@link #finish()} delivers the remaining audio and then ends the stream (no extra
 * {@link TtsEvent.Flushed}). An interrupted {@link #next()} closes the stream and returns empty,
 * keeping the interrupt flag.
 */
final class SynthesisStream implements TtsStream, SynthesisSink {
    /** What the caller asked the engine to do, in order. */
    private sealed interface Work {
        record Speak(String text) implements Work {}

        record Flush() implements Work {}

        record End() implements Work {}
    }

    /** What the engine delivered, in order, at the native rate. */
    private sealed interface Chunk {
        record UtteranceStart() implements Chunk {}

        record Pcm(short[] samples) implements Chunk {}

        record Marks(List<WordMark> marks) implements Chunk {}

        record Flushed() implements Chunk {}

        record End() implements Chunk {}

        record Failed(ParleyException error) implements Chunk {}
    }

    private final EngineScheduler engine;
    private final String voice;
    private final int nativeRate;
    private final int outputRate;
    private final int frameSamples;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    // guarded by lock
    private final StringBuilder pending = new StringBuilder();
    private final ArrayDeque<Work> work = new ArrayDeque<>();
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private boolean scheduled;
    private boolean finished;
    private volatile boolean closed;

    // reader state, guarded by readLock
    private final ReentrantLock readLock = new ReentrantLock();
    private final Resampler resampler;
    private final ArrayDeque<TtsEvent> events = new ArrayDeque<>();
    private short[] frame;
    private int frameFill;
    private long deliveredSamples;
    private long utteranceBase;
    private boolean resamplerHoldsAudio;
    private boolean ended;

    SynthesisStream(EngineScheduler engine, String voice, int outputRate) {
        this.engine = engine;
        this.voice = voice;
        this.nativeRate = engine.sampleRate();
        this.outputRate = outputRate;
        this.frameSamples = Math.max(1, outputRate / 50);
        this.resampler = Resampler.create(nativeRate, outputRate);
        this.frame = new short[frameSamples];
    }

    @Override
    public void send(String text) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (finished) {
                throw new IllegalStateException("send() after finish()");
            }
            pending.append(text);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        enqueue(false);
    }

    @Override
    public void finish() {
        enqueue(true);
    }

    private void enqueue(boolean end) {
        boolean schedule;
        lock.lock();
        try {
            if (closed || (finished && end)) {
                return;
            }
            if (finished) {
                throw new IllegalStateException("flush() after finish()");
            }
            for (String sentence : SentenceSplitter.split(pending.toString())) {
                work.add(new Work.Speak(sentence));
            }
            pending.setLength(0);
            work.add(end ? new Work.End() : new Work.Flush());
            finished = end;
            schedule = !scheduled;
            scheduled = true;
        } finally {
            lock.unlock();
        }
        if (schedule) {
            engine.schedule(this);
        }
    }

    /**
     * Runs on an engine worker: synthesises at most one sentence (and the markers around it).
     *
     * @return whether the stream has more work and must be queued again
     */
    boolean step(Synthesizer synthesizer) {
        boolean spoke = false;
        while (true) {
            @Nullable Work next;
            lock.lock();
            try {
                next = closed ? null : work.peek();
                if (next == null) {
                    work.clear();
                    scheduled = false;
                    return false;
                }
                if (spoke && next instanceof Work.Speak) {
                    return true;
                }
                work.poll();
            } finally {
                lock.unlock();
            }
            switch (next) {
                case Work.Speak speak -> {
                    synthesizer.synthesize(speak.text(), voice, this);
                    spoke = true;
                }
                case Work.Flush flush -> deliver(new Chunk.Flushed());
                case Work.End end -> deliver(new Chunk.End());
            }
        }
    }

    /** The engine failed on this stream: the reader gets the error and the stream's work is dropped. */
    void fail(Throwable error) {
        ParleyException e = error instanceof ParleyException pe
                ? pe
                : new ParleyException("local speech synthesis failed: " + error, error);
        lock.lock();
        try {
            work.clear();
            scheduled = false;
            if (!closed) {
                chunks.add(new Chunk.Failed(e));
                available.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean cancelled() {
        return closed;
    }

    @Override
    public void utteranceStart() {
        deliver(new Chunk.UtteranceStart());
    }

    @Override
    public void audio(short[] samples) {
        if (samples.length > 0) {
            deliver(new Chunk.Pcm(samples));
        }
    }

    @Override
    public void words(List<WordMark> marks) {
        if (!marks.isEmpty()) {
            deliver(new Chunk.Marks(List.copyOf(marks)));
        }
    }

    private void deliver(Chunk chunk) {
        lock.lock();
        try {
            if (!closed) {
                chunks.add(chunk);
                available.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<TtsEvent> next() {
        readLock.lock();
        try {
            while (true) {
                if (closed) {
                    return Optional.empty();
                }
                TtsEvent event = events.poll();
                if (event != null) {
                    return Optional.of(event);
                }
                if (ended) {
                    return Optional.empty();
                }
                @Nullable Chunk chunk = take();
                if (chunk == null) {
                    return Optional.empty();
                }
                handle(chunk);
            }
        } finally {
            readLock.unlock();
        }
    }

    private @Nullable Chunk take() {
        lock.lock();
        try {
            while (chunks.isEmpty() && !closed) {
                available.await();
            }
            return closed ? null : chunks.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeLocked();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void handle(Chunk chunk) {
        switch (chunk) {
            case Chunk.UtteranceStart start -> utteranceBase = deliveredSamples + frameFill;
            case Chunk.Pcm pcm -> {
                addAudio(resampler.process(pcm.samples()));
                resamplerHoldsAudio = true;
            }
            case Chunk.Marks marks -> events.add(new TtsEvent.Words(marks.marks().stream().map(this::timing).toList()));
            case Chunk.Flushed flushed -> {
                drainResampler();
                events.add(new TtsEvent.Flushed());
            }
            case Chunk.End end -> {
                drainResampler();
                ended = true;
            }
            case Chunk.Failed failed -> {
                ended = true;
                events.clear();
                throw failed.error();
            }
        }
    }

    /**
     * End of a piece: pushes out the filter's tail (so everything before a Flushed really is
     * delivered) and the partial frame. The next piece starts a fresh filter.
     */
    private void drainResampler() {
        if (resamplerHoldsAudio) {
            addAudio(resampler.flush());
            resamplerHoldsAudio = false;
        }
        emitPartialFrame();
    }

    /** A mark's place in the stream: the utterance's start, the filter delay, the mark's offset. */
    private WordTiming timing(WordMark mark) {
        long base = utteranceBase * 1_000_000_000L / outputRate + resampler.latency().toNanos();
        return new WordTiming(mark.word(),
                Duration.ofNanos(base + mark.startSample() * 1_000_000_000L / nativeRate),
                Duration.ofNanos(base + Math.max(mark.startSample(), mark.endSample()) * 1_000_000_000L / nativeRate));
    }

    private void addAudio(short[] samples) {
        int offset = 0;
        while (offset < samples.length) {
            int n = Math.min(samples.length - offset, frameSamples - frameFill);
            System.arraycopy(samples, offset, frame, frameFill, n);
            frameFill += n;
            offset += n;
            if (frameFill == frameSamples) {
                emit(frame);
                frame = new short[frameSamples];
            }
        }
    }

    private void emitPartialFrame() {
        if (frameFill > 0) {
            emit(Arrays.copyOf(frame, frameFill));
        }
    }

    private void emit(short[] samples) {
        events.add(new TtsEvent.Audio(new AudioFrame(samples, outputRate)));
        deliveredSamples += samples.length;
        frameFill = 0;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() {
        closed = true;
        pending.setLength(0);
        work.clear();
        chunks.clear();
        available.signalAll();
    }

    @Override
    public String toString() {
        return "SynthesisStream[" + voice + ", " + nativeRate + " -> " + outputRate + " Hz]";
    }
}
