package dev.parley.localtts;

/**
 * One engine instance that turns a short piece of text (about a sentence) into audio at its native
 * rate. Only ever called from its own worker thread (see {@link EngineScheduler}), one text at a
 * time, so implementations need no locking of their own.
 */
interface Synthesizer {
    /** Native output rate in Hz. */
    int sampleRate();

    /**
     * Synthesises {@code text} with the engine-specific {@code voice}, delivering audio and word
     * marks to {@code sink} as they are produced. Returns when done or when the sink is cancelled.
     *
     * @throws dev.parley.ParleyException if the engine fails
     */
    void synthesize(String text, String voice, SynthesisSink sink);
}
