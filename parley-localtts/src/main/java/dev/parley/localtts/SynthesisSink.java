package dev.parley.localtts;

import java.util.List;

/** Where a {@link Synthesizer} delivers one text's output. Methods never block. */
interface SynthesisSink {
    /** Whether the consumer is gone; engines stop early when it is. */
    boolean cancelled();

    /** A new utterance starts: word marks that follow are relative to the audio after this point. */
    void utteranceStart();

    /** PCM16 samples at the engine's native rate; the array is handed over. */
    void audio(short[] samples);

    /** Word marks of the current utterance, in native samples from its start. */
    void words(List<WordMark> marks);

    /** A spoken word (or source token) and where it sits in the current utterance, in native samples. */
    record WordMark(String word, long startSample, long endSample) {}
}
