package dev.parley.spi;

/** A voice activity detector. Models may be shared; a {@link VadSession} holds one stream's state. */
public interface VoiceActivityDetector {
    VadSession open(int sampleRate);

    default String name() {
        return getClass().getSimpleName();
    }
}
