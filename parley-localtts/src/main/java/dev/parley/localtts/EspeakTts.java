package dev.parley.localtts;

import dev.parley.ParleyException;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Text-to-speech with espeak-ng (about a hundred languages, including Arabic {@code ar} and Urdu
 * {@code ur}), called in-process through the JDK foreign-function API; needs the Debian/Ubuntu
 * package {@code espeak-ng} ({@code libespeak-ng.so.1}) and {@code --enable-native-access=ALL-UNNAMED}
 * to run without a warning. Output is 22050 Hz, resampled to the requested rate.
 *
 * <p>The voice comes from {@link TtsRequest#voice()} when given (an espeak-ng name such as
 * {@code "en-gb"} or {@code "en-us+f3"}), otherwise from {@link TtsRequest#language()} ("ar-SA"
 * falls back to "ar"), otherwise from the builder's default language. espeak-ng has one global
 * state per process, so all instances share one worker thread; synthesis takes about 1/500 of real
 * time, and each stream reads its audio from its own queue.
 *
 * <p>Streams emit {@link dev.parley.spi.TtsEvent.Words} from espeak-ng's word events (a word's
 * start is exact; its end is where the next word or the sentence ends).
 */
public final class EspeakTts implements TextToSpeech {
    private static final Object LOCK = new Object();
    private static @Nullable EngineScheduler scheduler;

    private final EspeakEngine engine;
    private final EngineScheduler workers;
    private final String defaultLanguage;
    private final int wordsPerMinute;

    private EspeakTts(Builder builder) {
        this.engine = EspeakEngine.get();
        this.workers = scheduler(engine);
        this.defaultLanguage = builder.defaultLanguage;
        this.wordsPerMinute = builder.wordsPerMinute;
        resolve(defaultLanguage, "");
    }

    /** Whether libespeak-ng is installed and loadable. */
    public static boolean isAvailable() {
        return EspeakEngine.isAvailable();
    }

    /**
     * An instance with the defaults (US English when a request names no language, 175 words/min).
     *
     * @throws ParleyException "espeak-ng is not installed: apt-get install espeak-ng" when the library is missing
     */
    public static EspeakTts create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a stream.
     *
     * @throws ParleyException if espeak-ng has no voice for the request's voice or language
     * @throws IllegalArgumentException if the sample rate is outside 1 kHz..192 kHz
     */
    @Override
    public TtsStream open(TtsRequest request) {
        FreeTts.checkRate(request.sampleRate());
        String name = resolve(request.language(), request.voice());
        return new SynthesisStream(workers, new EspeakVoice(name, wordsPerMinute).encode(), request.sampleRate());
    }

    /** Lower-case voice names and language tags espeak-ng accepts ("ar", "en-us", "ur", …). */
    public Set<String> voices() {
        return engine.voices().keySet();
    }

    @Override
    public String name() {
        return "espeak-ng";
    }

    /** The voice identifier (plus any "+variant") for a request. */
    private String resolve(String language, String voice) {
        Map<String, String> known = engine.voices();
        String v = voice.strip();
        if (!v.isEmpty()) {
            int plus = v.indexOf('+');
            String base = (plus < 0 ? v : v.substring(0, plus)).toLowerCase(Locale.ROOT);
            String identifier = known.get(base);
            if (identifier != null) {
                return identifier + (plus < 0 ? "" : v.substring(plus));
            }
            throw new ParleyException("espeak-ng has no voice '" + voice + "'");
        }
        String tag = (language.isBlank() ? defaultLanguage : language).strip().toLowerCase(Locale.ROOT).replace('_', '-');
        String primary = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
        for (String candidate : List.of(tag, primary)) {
            String identifier = known.get(candidate);
            if (identifier != null) {
                return identifier;
            }
        }
        throw new ParleyException("espeak-ng has no voice for language '" + language + "'");
    }

    private static EngineScheduler scheduler(EspeakEngine engine) {
        synchronized (LOCK) {
            EngineScheduler s = scheduler;
            if (s == null) {
                s = new EngineScheduler("parley-espeak", List.of(engine));
                scheduler = s;
            }
            return s;
        }
    }

    public static final class Builder {
        private String defaultLanguage = "en-us";
        private int wordsPerMinute = 175;

        private Builder() {}

        /** Language used when a request names none (BCP-47, e.g. "en-US", "ar", "ur"). */
        public Builder defaultLanguage(String language) {
            if (language.isBlank()) {
                throw new IllegalArgumentException("blank language");
            }
            this.defaultLanguage = language;
            return this;
        }

        /** Speaking rate, 80..450 words per minute (espeak-ng's default is 175). */
        public Builder wordsPerMinute(int rate) {
            if (rate < 80 || rate > 450) {
                throw new IllegalArgumentException("words per minute must be 80..450: " + rate);
            }
            this.wordsPerMinute = rate;
            return this;
        }

        /**
         * Loads and initialises espeak-ng (once per process).
         *
         * @throws ParleyException "espeak-ng is not installed: apt-get install espeak-ng" when the library is missing
         */
        public EspeakTts build() {
            return new EspeakTts(this);
        }
    }
}
