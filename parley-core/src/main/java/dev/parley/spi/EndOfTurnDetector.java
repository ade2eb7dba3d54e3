package dev.parley.spi;

import java.util.List;

/** A model that judges whether the caller has finished their turn, from the words so far. */
public interface EndOfTurnDetector {
    /** Probability, 0..1, that {@code transcript} completes the caller's turn given the history. */
    double completionProbability(List<ChatMessage> history, String transcript);
}
