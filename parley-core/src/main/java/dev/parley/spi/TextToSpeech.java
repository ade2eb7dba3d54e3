package dev.parley.spi;

/** A text-to-speech provider; one {@link TtsStream} per reply (or per call, for context-keeping providers). */
public interface TextToSpeech {
    TtsStream open(TtsRequest request);

    default String name() {
        return getClass().getSimpleName();
    }
}
