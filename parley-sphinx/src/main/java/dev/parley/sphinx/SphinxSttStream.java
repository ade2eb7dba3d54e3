package dev.parley.sphinx;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttStream;
import dev.parley.spi.WordTiming;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.Signal;
import edu.cmu.sphinx.frontend.endpoint.SpeechStartSignal;
import edu.cmu.sphinx.result.Result;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recognition stream on a borrowed {@link SphinxRecognizer}. Audio goes through a bounded
 * {@link AudioPipe} to a platform thread that runs the recogniser (CPU-bound work is kept off the
 * virtual-thread carriers). Interims come from the decoder's partial results every few hundred
 * milliseconds of speech; finals from Sphinx's endpointer, or from {@link #finalizeTurn()}, which
 * appends silence so the endpointer closes the utterance.
 */
final class SphinxSttStream implements SttStream, SphinxRecognizer.Session {
    private static final Logger log = LoggerFactory.getLogger(SphinxSttStream.class);
    private static final long NANOS_PER_SAMPLE = 1_000_000_000L / To16k.RATE;

    private final RecognizerPool pool;
    private final SphinxRecognizer recognizer;
    private final String callId;
    private final float languageWeight;
    private final short[] finalizeSilence;
    private final AudioPipe pipe;
    private final EventQueue events = new EventQueue();
    private final Object sendLock = new Object();
    /** Silence injected by finalizeTurn: {start, length} in 16 kHz samples of the recogniser's stream. */
    private final List<long[]> injected = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private To16k converter;
    private int converterRate;
    private volatile boolean finalizePending;
    private volatile boolean finishing;
    // decoding-thread state
    private boolean utteranceActive;
    private boolean dataEnded;

    SphinxSttStream(RecognizerPool pool, SphinxRecognizer recognizer, String callId, int sampleRate,
            Duration endSilence, Duration bufferLimit, float languageWeight) {
        this.pool = pool;
        this.recognizer = recognizer;
        this.callId = callId;
        this.languageWeight = languageWeight;
        this.converter = To16k.from(sampleRate);
        this.converterRate = sampleRate;
        // enough silence for the endpointer plus the frontend's read-ahead
        this.finalizeSilence = new short[(int) ((endSilence.toMillis() + 150) * To16k.RATE / 1000)];
        this.pipe = new AudioPipe((int) (bufferLimit.toMillis() * To16k.RATE / 1000 * 2), this::starving);
        recognizer.attach(pipe, this);
        this.thread = Thread.ofPlatform().daemon().name("sphinx-stt-" + callId).unstarted(this::decode);
        thread.start();
    }

    @Override
    public void send(AudioFrame frame) {
        if (closed.get() || finishing) {
            return;
        }
        synchronized (sendLock) {
            if (frame.sampleRate() != converterRate) {
                converter = To16k.from(frame.sampleRate());
                converterRate = frame.sampleRate();
            }
            pipe.write(converter.process(frame.samples()));
        }
    }

    @Override
    public void finalizeTurn() {
        if (closed.get() || finishing) {
            return;
        }
        synchronized (sendLock) {
            finalizePending = true;
            long start = pipe.write(finalizeSilence);
            injected.add(new long[] {start, finalizeSilence.length});
        }
    }

    @Override
    public void finish() {
        finishing = true;
        pipe.finish();
    }

    @Override
    public Optional<SttEvent> next() {
        return events.next();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pipe.close();
            events.close();
        }
    }

    private void decode() {
        boolean healthy = false;
        try {
            // after close() the pipe reports end of data at once; run on to the DataEndSignal so the
            // recogniser is left between streams and can go back to the pool
            while (!dataEnded) {
                Result result = recognizer.recognize();
                if (!closed.get()) {
                    utteranceEnded(result);
                }
                if (result == null && !dataEnded) {
                    break;
                }
            }
            healthy = dataEnded;
        } catch (RuntimeException | Error e) {
            if (!closed.get()) {
                log.warn("sphinx recognition failed for call {}", callId, e);
                events.fail(e instanceof ParleyException p ? p : new ParleyException("sphinx recognition failed", e));
            }
        } finally {
            recognizer.detach();
            if (healthy) {
                pool.release(recognizer);
            } else {
                pool.discard(recognizer);
            }
            events.end();
        }
    }

    private void utteranceEnded(@Nullable Result result) {
        String text = result == null ? "" : Hypotheses.text(result);
        boolean requested = finalizePending;
        if (text.isEmpty() && !utteranceActive && !requested) {
            return;
        }
        List<WordTiming> words = result == null ? List.of() : Hypotheses.words(result, this::streamTime);
        double confidence = result == null || text.isEmpty() ? 0 : Hypotheses.confidence(result, languageWeight, 0.5);
        utteranceActive = false;
        finalizePending = false;
        events.offer(new SttEvent.Final(text, confidence, words, true));
        if (!words.isEmpty()) {
            events.offer(new SttEvent.UtteranceEnd(words.getLast().end()));
        }
    }

    /** Decoder thread, inside the pipe's read: everything sent has been consumed. */
    private void starving() {
        if (finalizePending && !recognizer.inSpeech() && !closed.get()) {
            finalizePending = false;
            utteranceActive = false;
            events.offer(new SttEvent.Final("", 0, List.of(), true));
        }
    }

    @Override
    public void partial(Result result) {
        String text = Hypotheses.text(result);
        if (!text.isEmpty()) {
            events.offer(new SttEvent.Interim(text, 0, Hypotheses.words(result, this::streamTime)));
        }
    }

    @Override
    public void signal(Signal signal) {
        switch (signal) {
            case SpeechStartSignal s -> {
                utteranceActive = true;
                events.offer(new SttEvent.SpeechStarted(streamTime(Math.max(0, s.getTime()))));
            }
            case DataEndSignal d -> dataEnded = true;
            default -> {}
        }
    }

    /** Maps recogniser time (ms of the 16 kHz stream, injected silence included) to time in the sent audio. */
    Duration streamTime(long recognizerMillis) {
        long sample = recognizerMillis * To16k.RATE / 1000;
        long removed = 0;
        for (long[] gap : injected) {
            if (gap[0] < sample) {
                removed += Math.min(gap[1], sample - gap[0]);
            }
        }
        return Duration.ofNanos((sample - removed) * NANOS_PER_SAMPLE);
    }
}
