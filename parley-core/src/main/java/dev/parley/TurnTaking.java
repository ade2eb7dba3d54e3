package dev.parley;

import java.time.Duration;

/**
 * End-of-turn policy: when the caller's turn is over and the agent may answer.
 *
 * @param silence VAD silence after which a turn with a final transcript ends (unless the recogniser ends it sooner)
 * @param stableInterims how many consecutive identical interims make a transcript stable enough for a speculative reply
 * @param speculative whether to start a gated reply at end of speech from a stable interim
 * @param finalTimeout how long after the caller stops speaking to wait for a final transcript before giving up the turn
 * @param eotThreshold end-of-turn model probability below which the turn is held open longer
 * @param eotHold how much longer an incomplete-sounding turn is held open
 */
public record TurnTaking(Duration silence, int stableInterims, boolean speculative, Duration finalTimeout,
                         double eotThreshold, Duration eotHold) {
    public TurnTaking {
        if (stableInterims < 1) {
            throw new IllegalArgumentException("stableInterims must be at least 1");
        }
    }

    public static TurnTaking defaults() {
        return new TurnTaking(Duration.ofMillis(500), 2, true, Duration.ofMillis(2500), 0.5, Duration.ofMillis(1000));
    }

    public TurnTaking withSilence(Duration d) {
        return new TurnTaking(d, stableInterims, speculative, finalTimeout, eotThreshold, eotHold);
    }

    public TurnTaking withStableInterims(int n) {
        return new TurnTaking(silence, n, speculative, finalTimeout, eotThreshold, eotHold);
    }

    public TurnTaking withSpeculative(boolean on) {
        return new TurnTaking(silence, stableInterims, on, finalTimeout, eotThreshold, eotHold);
    }

    public TurnTaking withFinalTimeout(Duration d) {
        return new TurnTaking(silence, stableInterims, speculative, d, eotThreshold, eotHold);
    }

    public TurnTaking withEndOfTurnModel(double threshold, Duration hold) {
        return new TurnTaking(silence, stableInterims, speculative, finalTimeout, threshold, hold);
    }
}
