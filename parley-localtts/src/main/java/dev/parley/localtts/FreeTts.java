package dev.parley.localtts;

import dev.parley.ParleyException;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * English text-to-speech with FreeTTS's kevin16 diphone voice (16 kHz, resampled to the requested
 * rate). Runs in-process, offline, at roughly 1/500 of real time per sentence on one core.
 *
 * <p>A FreeTTS voice is not thread-safe, so each allocated voice has its own worker thread; a
 * small pool of voices (default: one per core, at most two) synthesises for all calls, one
 * sentence at a time, round-robin across streams. Each stream's audio lands in its own queue, so
 * a slow reader never holds up the engine or other calls.
 *
 * <p>Streams emit {@link dev.parley.spi.TtsEvent.Words} with the start and end of every source
 * token ("$12.50", "pizzas"), taken from FreeTTS's own segment timings, before that sentence's
 * audio.
 */
public final class FreeTts implements TextToSpeech, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FreeTts.class);
    private static final Object SHARED_LOCK = new Object();
    private static @Nullable FreeTts shared;

    private final List<FreeTtsVoice> voices;
    private final EngineScheduler scheduler;
    private final boolean closeable;
    private volatile boolean closed;

    private FreeTts(int voiceCount, boolean closeable) {
        long start = System.nanoTime();
        List<FreeTtsVoice> allocated = new ArrayList<>();
        for (int i = 0; i < voiceCount; i++) {
            allocated.add(new FreeTtsVoice());
        }
        this.voices = List.copyOf(allocated);
        this.closeable = closeable;
        this.scheduler = new EngineScheduler("parley-freetts", voices);
        warmUp();
        log.debug("FreeTTS ready with {} voice(s) in {} ms", voiceCount, (System.nanoTime() - start) / 1_000_000);
    }

    /** The process-wide instance (allocated on first use, lives as long as the process). */
    public static FreeTts shared() {
        synchronized (SHARED_LOCK) {
            FreeTts instance = shared;
            if (instance == null) {
                instance = new FreeTts(defaultVoiceCount(), false);
                shared = instance;
            }
            return instance;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a stream.
     *
     * @throws ParleyException if the language is not English or the voice is not kevin16
     * @throws IllegalArgumentException if the sample rate is outside 1 kHz..192 kHz
     */
    @Override
    public TtsStream open(TtsRequest request) {
        if (closed) {
            throw new ParleyException("FreeTTS engine is closed");
        }
        String language = request.language().strip().toLowerCase(Locale.ROOT);
        if (!language.isEmpty() && !language.equals("en") && !language.startsWith("en-") && !language.startsWith("en_")) {
            throw new ParleyException("FreeTTS speaks English only, not '" + request.language()
                    + "'; use EspeakTts or LocalTts.multilingual() for other languages");
        }
        String voice = request.voice().strip();
        if (!voice.isEmpty() && !voice.equalsIgnoreCase(FreeTtsVoice.NAME)) {
            throw new ParleyException("FreeTTS has only the '" + FreeTtsVoice.NAME + "' voice, not '" + voice + "'");
        }
        checkRate(request.sampleRate());
        return new SynthesisStream(scheduler, FreeTtsVoice.NAME, request.sampleRate());
    }

    /** Number of FreeTTS voices (parallel workers) in the pool. */
    public int voiceCount() {
        return voices.size();
    }

    @Override
    public String name() {
        return "freetts";
    }

    /**
     * Stops the workers and frees the voices of an instance made by {@link #builder()}; streams
     * still waiting for audio will not get it. The {@link #shared()} instance ignores this.
     */
    @Override
    public void close() {
        if (!closeable || closed) {
            return;
        }
        closed = true;
        scheduler.shutdown();
        voices.forEach(FreeTtsVoice::deallocate);
    }

    private void warmUp() {
        // first use of each voice loads lexicon pages and JITs the pipeline: do it before a call needs it
        for (FreeTtsVoice voice : voices) {
            voice.synthesize("Hello, your order is ready.", FreeTtsVoice.NAME, DiscardingSink.INSTANCE);
        }
    }

    static void checkRate(int rate) {
        if (rate < 1000 || rate > 192_000) {
            throw new IllegalArgumentException("unsupported sample rate " + rate);
        }
    }

    private static int defaultVoiceCount() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 2);
    }

    /** Configures an independent FreeTTS engine (its own voices and workers). */
    public static final class Builder {
        private int voices = defaultVoiceCount();

        private Builder() {}

        /** Number of FreeTTS voices synthesising in parallel (each about 100 ms and a few MB to allocate). */
        public Builder voices(int count) {
            if (count < 1 || count > 16) {
                throw new IllegalArgumentException("voices must be 1..16: " + count);
            }
            this.voices = count;
            return this;
        }

        /** Allocates the voices now (about 0.3 s for the first, 0.1 s for each further one). */
        public FreeTts build() {
            return new FreeTts(voices, true);
        }
    }

    /** A sink that drops everything (warm-up). */
    private enum DiscardingSink implements SynthesisSink {
        INSTANCE;

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void utteranceStart() {}

        @Override
        public void audio(short[] samples) {}

        @Override
        public void words(List<WordMark> marks) {}
    }
}
