package dev.parley.localtts;

import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Entry points for offline text-to-speech. */
public final class LocalTts {
    private LocalTts() {}

    /** English with FreeTTS (the shared, process-wide engine). */
    public static FreeTts english() {
        return FreeTts.shared();
    }

    /**
     * espeak-ng for any of its languages.
     *
     * @throws dev.parley.ParleyException when espeak-ng is not installed
     */
    public static EspeakTts espeak() {
        return EspeakTts.create();
    }

    /**
     * English (with no voice or "kevin16") through FreeTTS, every other language or voice through
     * espeak-ng, loaded when first needed; opening a non-English stream without espeak-ng installed
     * fails with "espeak-ng is not installed: apt-get install espeak-ng".
     */
    public static TextToSpeech multilingual() {
        return new Multilingual();
    }

    private static final class Multilingual implements TextToSpeech {
        private @Nullable EspeakTts espeak;

        @Override
        public TtsStream open(TtsRequest request) {
            String language = request.language().strip().toLowerCase(Locale.ROOT);
            boolean english = language.isEmpty() || language.equals("en") || language.startsWith("en-")
                    || language.startsWith("en_");
            String voice = request.voice().strip();
            if (english && (voice.isEmpty() || voice.equalsIgnoreCase(FreeTtsVoice.NAME))) {
                return FreeTts.shared().open(request);
            }
            return espeak().open(request);
        }

        private synchronized EspeakTts espeak() {
            EspeakTts e = espeak;
            if (e == null) {
                e = EspeakTts.create();
                espeak = e;
            }
            return e;
        }

        @Override
        public String name() {
            return "local-multilingual";
        }
    }
}
