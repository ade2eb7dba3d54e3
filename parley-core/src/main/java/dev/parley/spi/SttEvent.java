package dev.parley.spi;

import java.time.Duration;
import java.util.List;

/** What a recognition stream reports. Times are offsets into the audio sent on the stream. */
public sealed interface SttEvent {
    /** A provisional transcript of the words being spoken; later results may revise it. */
    record Interim(String text, double confidence, List<WordTiming> words) implements SttEvent {
        public Interim {
            words = List.copyOf(words);
        }
    }

    /**
     * A transcript that will not change. {@code endOfSpeech} is the provider's endpointing verdict
     * (the speaker paused long enough); false means more finals may follow in the same utterance.
     */
    record Final(String text, double confidence, List<WordTiming> words, boolean endOfSpeech) implements SttEvent {
        public Final {
            words = List.copyOf(words);
        }
    }

    /** The provider heard speech begin. */
    record SpeechStarted(Duration at) implements SttEvent {}

    /** The provider detected a gap after the last word (utterance end). */
    record UtteranceEnd(Duration lastWordEnd) implements SttEvent {}
}
