package dev.parley.spi;

/** A speech-to-text provider. One {@link SttStream} per call; {@code open} may connect eagerly. */
public interface SpeechToText {
    SttStream open(SttRequest request);

    /** A short name for logs, metrics and journals ("sphinx", "deepgram"). */
    default String name() {
        return getClass().getSimpleName();
    }
}
