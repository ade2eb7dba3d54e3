package dev.parley.sphinx;

import dev.parley.ParleyException;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline streaming speech-to-text on CMU Sphinx4 (en-US acoustic model), recognising the language
 * of one domain: an n-gram model built from the domain's example sentences ({@link Builder#corpus}),
 * or a JSGF grammar ({@link Builder#grammar}). Accepts 8 kHz (telephone) or 16 kHz PCM16.
 *
 * <p>Recognisers are pooled: each holds the acoustic model, decodes one stream at a time and is
 * reused by the next stream (Sphinx4 keeps per-frame scoring state inside the acoustic model, so
 * one model cannot serve two streams at once). Close the {@code SphinxStt} to release them.
 * Measured on the 2-vCPU dev box ({@code SphinxSttBenchmark}, 1,252-sentence menu corpus):
 * <ul>
 *   <li>a new recogniser: 1.2-1.9 s CPU, ~64 MB heap; opening a stream on a pooled one: ~10 ms;
 *   <li>decoding: CPU-RTF ~0.13 at 16 kHz and ~0.20 at 8 kHz (warm), i.e. roughly 8-10 streams in
 *       real time on 2 idle cores;
 *   <li>WER on 8 FreeTTS order sentences (54 words): 0 % at 16 kHz, 1.9 % at 8 kHz.
 * </ul>
 *
 * <p>Events: {@code SpeechStarted} when the endpointer hears speech, {@code Interim} every
 * {@link Builder#interimInterval} of speech (the best partial hypothesis; confidence 0 because
 * Sphinx does not score partial results), {@code Final} with {@code endOfSpeech = true} at each
 * utterance end (confidence = mean word posterior of the lattice), then {@code UtteranceEnd}.
 * {@link SttStream#finalizeTurn()} appends {@code endSilence + 150 ms} of silence so the endpointer
 * closes the utterance at once (an empty {@code Final} if no speech was going on). Word times are
 * offsets into the audio sent, with that injected silence removed.
 *
 * <pre>{@code
 * var stt = SphinxStt.builder().corpus(menu.exampleSentences()).maxConcurrentStreams(4).build();
 * }</pre>
 */
public final class SphinxStt implements SpeechToText, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SphinxStt.class);
    private static final int MAX_VOCABULARY_MODELS = 4;

    private final Builder config;
    private final DomainModel model;
    private final RecognizerPool pool;
    /** Models extended by a request's vocabulary, keyed by the added phrases. */
    private final Map<Set<String>, Extended> extended = new LinkedHashMap<>(8, 0.75f, true);
    private final Set<String> corpusSentences = new HashSet<>();
    private boolean closed;

    private record Extended(DomainModel model, RecognizerPool pool) {}

    private SphinxStt(Builder b) {
        this.config = b.copy();
        long t0 = System.nanoTime();
        this.model = b.grammar != null
                ? DomainModel.fromGrammar(b.grammar, b.pronunciations, b.settings())
                : DomainModel.fromCorpus(b.corpus, b.pronunciations, b.ngramOrder, b.settings());
        b.corpus.forEach(s -> corpusSentences.add(String.join(" ", Lexicon.words(s))));
        if (!model.unknownWords().isEmpty()) {
            log.info("{} corpus words have no pronunciation and are left out of the language model", model.unknownWords().size());
            log.debug("words left out: {}", model.unknownWords());
        }
        this.pool = new RecognizerPool(model.config(), b.maxConcurrentStreams);
        pool.prewarm(b.prewarm);
        log.debug("Sphinx STT ready: {} words, {} recognisers in {} ms", model.vocabularySize(), pool.created(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "sphinx";
    }

    /**
     * Opens a stream on a pooled recogniser (waits up to {@link Builder#acquireTimeout} when all are
     * busy). Phrases of {@link SttRequest#vocabulary()} that are not already corpus sentences are added
     * to the corpus of a derived model (built and cached on first use, ~1-2 s); grammar models
     * ignore the request vocabulary.
     */
    @Override
    public SttStream open(SttRequest request) {
        if (!request.language().toLowerCase(Locale.ROOT).startsWith("en")) {
            throw new ParleyException("Sphinx STT only has an English model, not " + request.language());
        }
        RecognizerPool chosen = poolFor(request.vocabulary());
        SphinxRecognizer recognizer = chosen.acquire(config.acquireTimeout);
        try {
            return new SphinxSttStream(chosen, recognizer, request.callId(), request.format().sampleRate(),
                    config.endSilence, Duration.ofSeconds(20), 8.0f);
        } catch (RuntimeException e) {
            chosen.discard(recognizer);
            throw e;
        }
    }

    private RecognizerPool poolFor(List<String> vocabulary) {
        Set<String> extra = new HashSet<>();
        if (config.grammar == null) {
            for (String phrase : vocabulary) {
                String normal = String.join(" ", Lexicon.words(phrase));
                if (!normal.isEmpty() && !corpusSentences.contains(normal)) {
                    extra.add(normal);
                }
            }
        }
        synchronized (extended) {
            if (closed) {
                throw new ParleyException("SphinxStt is closed");
            }
            if (extra.isEmpty()) {
                return pool;
            }
            Extended e = extended.get(extra);
            if (e == null) {
                List<String> corpus = new ArrayList<>(config.corpus);
                corpus.addAll(extra);
                var m = DomainModel.fromCorpus(corpus, config.pronunciations, config.ngramOrder, config.settings());
                e = new Extended(m, new RecognizerPool(m.config(), config.maxConcurrentStreams));
                extended.put(Set.copyOf(extra), e);
                if (extended.size() > MAX_VOCABULARY_MODELS) {
                    var eldest = extended.entrySet().iterator();
                    Extended old = eldest.next().getValue();
                    eldest.remove();
                    old.pool().close();
                }
            }
            return e.pool();
        }
    }

    /**
     * Corpus words with no pronunciation in the CMU dictionary (nor given through
     * {@link Builder#pronunciation}, nor a compound of two dictionary words): they were left out of
     * the language model and cannot be recognised.
     */
    public Set<String> unknownWords() {
        return model.unknownWords();
    }

    /** Recognisers created so far for the base model (for metrics and tests). */
    public int recognizers() {
        return pool.created();
    }

    /** Releases idle recognisers and temporary files; streams still open finish normally. */
    @Override
    public void close() {
        synchronized (extended) {
            if (closed) {
                return;
            }
            closed = true;
            pool.close();
            extended.values().forEach(e -> {
                e.pool().close();
                e.model().delete();
            });
            extended.clear();
        }
        model.delete();
    }

    /** Configures a {@link SphinxStt}. Either a corpus or a grammar is required. */
    public static final class Builder {
        private List<String> corpus = List.of();
        private @Nullable String grammar;
        private final Map<String, String> pronunciations = new TreeMap<>();
        private int ngramOrder = 3;
        private int maxConcurrentStreams = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        private int prewarm = 1;
        private Duration endSilence = Duration.ofMillis(300);
        private Duration interimInterval = Duration.ofMillis(250);
        private Duration acquireTimeout = Duration.ofSeconds(10);
        private int beamWidth = 2000;

        private Builder() {}

        /**
         * The domain's example sentences (e.g. generated from a menu: "i would like two large
         * pepperoni pizzas"). An n-gram language model is built from them; this is the default mode
         * and the most flexible: word sequences not in the corpus are still recognised through
         * back-off.
         */
        public Builder corpus(List<String> sentences) {
            this.corpus = List.copyOf(sentences);
            return this;
        }

        /** A JSGF grammar ("#JSGF V1.0; grammar name; public <s> = ...;") instead of a corpus. */
        public Builder grammar(String jsgf) {
            this.grammar = Objects.requireNonNull(jsgf);
            return this;
        }

        /** A pronunciation (CMU phones, e.g. "M AA R G ER IY T AH") for a word missing from cmudict. */
        public Builder pronunciation(String word, String phones) {
            pronunciations.put(word.toLowerCase(Locale.ROOT), phones);
            return this;
        }

        /** N-gram order of the corpus model: 2 (bigram) or 3 (trigram, default). */
        public Builder ngramOrder(int order) {
            if (order < 2 || order > 3) {
                throw new IllegalArgumentException("ngram order must be 2 or 3");
            }
            this.ngramOrder = order;
            return this;
        }

        /** Recognisers that may exist at once, i.e. streams decoded in parallel (default 2 × cores). */
        public Builder maxConcurrentStreams(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrentStreams must be positive");
            }
            this.maxConcurrentStreams = n;
            return this;
        }

        /** Recognisers created by {@code build()} so the first calls do not wait (default 1). */
        public Builder prewarm(int n) {
            this.prewarm = Math.max(0, n);
            return this;
        }

        /** Silence after which Sphinx's endpointer ends an utterance with a final (default 300 ms). */
        public Builder endSilence(Duration d) {
            this.endSilence = positive(d, "endSilence");
            return this;
        }

        /** Audio between two interim results while speech goes on (default 250 ms). */
        public Builder interimInterval(Duration d) {
            this.interimInterval = positive(d, "interimInterval");
            return this;
        }

        /** How long {@code open} waits for a free recogniser when all are busy (default 10 s). */
        public Builder acquireTimeout(Duration d) {
            this.acquireTimeout = positive(d, "acquireTimeout");
            return this;
        }

        /**
         * Most search states kept per 10 ms frame (default 2000). Higher is slower and more tolerant
         * of unexpected speech; below ~1000 accuracy drops on the order test set.
         */
        public Builder beamWidth(int states) {
            if (states < 100) {
                throw new IllegalArgumentException("beamWidth must be at least 100");
            }
            this.beamWidth = states;
            return this;
        }

        /** Builds the model files and prewarms recognisers (about 1-2 s each). */
        public SphinxStt build() {
            if (corpus.isEmpty() == (grammar == null)) {
                throw new IllegalStateException("set exactly one of corpus(...) or grammar(...)");
            }
            return new SphinxStt(this);
        }

        SphinxConfig.Settings settings() {
            return new SphinxConfig.Settings(interimInterval, Duration.ofMillis(200), endSilence,
                    Duration.ofMillis(50), Duration.ofMillis(500), beamWidth);
        }

        private Builder copy() {
            Builder b = new Builder();
            b.corpus = corpus;
            b.grammar = grammar;
            b.pronunciations.putAll(pronunciations);
            b.ngramOrder = ngramOrder;
            b.maxConcurrentStreams = maxConcurrentStreams;
            b.prewarm = prewarm;
            b.endSilence = endSilence;
            b.interimInterval = interimInterval;
            b.acquireTimeout = acquireTimeout;
            b.beamWidth = beamWidth;
            return b;
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
