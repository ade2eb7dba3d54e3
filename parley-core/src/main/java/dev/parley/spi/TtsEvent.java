package dev.parley.spi;

import dev.parley.audio.AudioFrame;
import java.util.List;

/** What a synthesis stream delivers. */
public sealed interface TtsEvent {
    record Audio(AudioFrame frame) implements TtsEvent {}

    /** Word timings, as offsets from the start of all audio this stream has delivered. */
    record Words(List<WordTiming> words) implements TtsEvent {
        public Words {
            words = List.copyOf(words);
        }
    }

    /** All audio for the text sent before the matching {@link TtsStream#flush()} has been delivered. */
    record Flushed() implements TtsEvent {}
}
