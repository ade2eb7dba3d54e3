package dev.parley.testkit;

import java.util.List;
import java.util.Optional;

/**
 * The cursor over a simulator's script: which step is next, when the previous one ended, and what
 * the agent's playback has been doing, to decide on each tick whether the next step starts.
 * Confined to the tick thread; times are {@link System#nanoTime()}.
 */
final class TwilioCallerScript {
    /** Ticks without agent audio that end a spurt of agent speech. */
    private static final int SPURT_GAP_TICKS = 5;

    private final List<TwilioCallerSimulator.Step> steps;
    private final long t0;
    private int next;
    private long prevEnd;
    private long readyAt = -1;
    private int silentTicks = SPURT_GAP_TICKS;
    private long spurtStart = -1;
    private long lastPlayedEnd = Long.MIN_VALUE;
    private boolean playingNow;

    TwilioCallerScript(List<TwilioCallerSimulator.Step> steps, long t0) {
        this.steps = steps;
        this.t0 = t0;
        this.prevEnd = t0;
    }

    /** Records what the playback buffer played in the tick [now, now + tick). */
    void played(long now, long tick, int samples) {
        playingNow = samples > 0;
        if (playingNow) {
            if (silentTicks >= SPURT_GAP_TICKS) {
                spurtStart = now;
            }
            silentTicks = 0;
            lastPlayedEnd = now + tick;
        } else if (++silentTicks >= SPURT_GAP_TICKS) {
            spurtStart = -1;
        }
    }

    /** The step in progress (a turn or DTMF digits) has ended at {@code at}. */
    void ended(long at) {
        prevEnd = at;
    }

    /**
     * The step to start now, if its condition holds (the cursor then moves past it).
     *
     * @param idle         whether the playback buffer is empty and silent
     * @param lastReceived when agent audio last arrived ({@link Long#MIN_VALUE} if never)
     */
    Optional<TwilioCallerSimulator.Step> due(long now, boolean idle, long lastReceived, List<String> errors) {
        if (next >= steps.size()) {
            return Optional.empty();
        }
        TwilioCallerSimulator.Step step = steps.get(next);
        boolean go = switch (step.start()) {
            case TwilioCallerStart.At at -> now - t0 >= at.sinceStreamStart().toNanos();
            case TwilioCallerStart.After after -> now - prevEnd >= after.delay().toNanos();
            case TwilioCallerStart.AfterReply reply -> {
                if (readyAt < 0) {
                    boolean heard = lastReceived > prevEnd || lastPlayedEnd > prevEnd;
                    boolean timedOut = now - prevEnd >= reply.timeout().toNanos();
                    long quietSince = Math.max(prevEnd, lastPlayedEnd);
                    if ((heard || timedOut) && idle && now - quietSince >= reply.quiet().toNanos()) {
                        readyAt = now + reply.pause().toNanos();
                    }
                }
                yield readyAt >= 0 && now >= readyAt;
            }
            case TwilioCallerStart.BargeIn barge -> {
                if (playingNow && spurtStart >= 0 && now - spurtStart >= barge.agentSpeaking().toNanos()) {
                    yield true;
                }
                if (now - prevEnd >= barge.timeout().toNanos()) {
                    errors.add("step " + next + ": the agent never spoke for " + barge.agentSpeaking()
                            + " within " + barge.timeout() + ", so the turn did not interrupt it");
                    yield true;
                }
                yield false;
            }
        };
        if (!go) {
            return Optional.empty();
        }
        next++;
        readyAt = -1;
        return Optional.of(step);
    }
}
