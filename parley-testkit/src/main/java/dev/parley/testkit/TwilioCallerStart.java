package dev.parley.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * When a step of a {@link TwilioCallerSimulator} script (a caller turn, DTMF digits, the hang-up)
 * begins. Conditions are checked on every 20 ms media tick; "the previous step" is the step before
 * in the script, or the start of the stream for the first step, and a step "ends" when its last
 * frame (or digit) has been sent.
 */
public sealed interface TwilioCallerStart {

    /** The default: after the agent's reply to the previous step, 500 ms quiet, 200 ms think time, 5 s timeout. */
    static TwilioCallerStart afterReply() {
        return new AfterReply(Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** After the agent's reply: {@code quiet} with no agent audio queued or playing, then {@code pause}. */
    static TwilioCallerStart afterReply(Duration quiet, Duration pause) {
        return new AfterReply(quiet, pause, Duration.ofSeconds(5));
    }

    /** Interrupts the agent once it has been audibly playing for {@code agentSpeaking} (10 s timeout). */
    static TwilioCallerStart bargeIn(Duration agentSpeaking) {
        return new BargeIn(agentSpeaking, Duration.ofSeconds(10));
    }

    /** A fixed delay after the previous step ended, whatever the agent does. */
    static TwilioCallerStart after(Duration delay) {
        return new After(delay);
    }

    /** At a fixed offset from the start of the stream (or at once, if that time has passed). */
    static TwilioCallerStart at(Duration sinceStreamStart) {
        return new At(sinceStreamStart);
    }

    /**
     * Starts when agent audio has been received or played since the previous step ended, then nothing
     * has been queued or playing for {@code quiet}; then waits {@code pause} more (the caller's think
     * time). If no agent audio comes within {@code timeout} of the previous step's end, starts after
     * {@code quiet} + {@code pause} anyway (an agent that does not greet, or does not answer).
     */
    record AfterReply(Duration quiet, Duration pause, Duration timeout) implements TwilioCallerStart {
        public AfterReply {
            requireNonNegative(quiet, "quiet");
            requireNonNegative(pause, "pause");
            requireNonNegative(timeout, "timeout");
        }
    }

    /**
     * Starts when the simulated playback buffer has been playing agent audio for {@code agentSpeaking}
     * without a pause of 100 ms or more. If that does not happen within {@code timeout} of the previous
     * step's end, the step starts anyway and the result lists an error.
     */
    record BargeIn(Duration agentSpeaking, Duration timeout) implements TwilioCallerStart {
        public BargeIn {
            requireNonNegative(agentSpeaking, "agentSpeaking");
            requireNonNegative(timeout, "timeout");
        }
    }

    /** Starts {@code delay} after the previous step ended. */
    record After(Duration delay) implements TwilioCallerStart {
        public After {
            requireNonNegative(delay, "delay");
        }
    }

    /** Starts at {@code sinceStreamStart} on the stream clock (when {@code start} was sent). */
    record At(Duration sinceStreamStart) implements TwilioCallerStart {
        public At {
            requireNonNegative(sinceStreamStart, "sinceStreamStart");
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " is negative: " + d);
        }
    }
}
