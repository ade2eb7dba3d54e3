package dev.parley.spi;

import dev.parley.audio.AudioFrame;
import java.util.List;

/** One audio stream's detector state. Not thread-safe: one feeding thread. */
public interface VadSession extends AutoCloseable {
    /** Feeds audio of any length; returns the transitions it caused (usually none). */
    List<VadEvent> accept(AudioFrame frame);

    /** Speech probability of the most recent window, 0..1. */
    float probability();

    @Override
    void close();
}
