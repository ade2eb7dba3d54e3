package dev.parley.spi;

import java.time.Duration;

/** A word with its start and end inside an audio stream. */
public record WordTiming(String word, Duration start, Duration end) {
    public WordTiming {
        if (end.compareTo(start) < 0) {
            throw new IllegalArgumentException("word ends before it starts: " + word);
        }
    }
}
