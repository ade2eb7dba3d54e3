package dev.parley.cli;

import dev.parley.audio.Pcm;
import dev.parley.testkit.TwilioCallerResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the caller heard, from a {@link dev.parley.testkit.TwilioCallerSimulator}'s stereo recording (right channel:
 * agent audio as played, 8 kHz, one 20 ms block per media tick, time 0 at the stream start).
 */
final class CloudPhoneSilence {
    private static final int BLOCK = 160;
    private static final double VOICED_DBFS = -45;

    /**
     * One caller turn: the wait from the caller's last voiced frame to the agent's first audio, the longest pause
     * inside the agent's answer, and the answer's audio (voiced time).
     */
    record TurnSilence(int turn, Duration gap, Duration longestInside, Duration answerAudio) {
        Duration longest() {
            return gap.compareTo(longestInside) >= 0 ? gap : longestInside;
        }
    }

    private CloudPhoneSilence() {}

    static List<TurnSilence> perTurn(TwilioCallerResult r) {
        short[] agent = r.recording().channel(1);
        int blocks = agent.length / BLOCK;
        boolean[] voiced = new boolean[blocks];
        for (int b = 0; b < blocks; b++) {
            voiced[b] = Pcm.levelDbfs(agent, b * BLOCK, BLOCK) > VOICED_DBFS;
        }
        List<TurnSilence> out = new ArrayList<>();
        for (int i = 0; i < r.turns().size(); i++) {
            TwilioCallerResult.Turn t = r.turns().get(i);
            int from = block(t.lastVoicedAt().orElse(t.endedAt())) + 1;
            int to = i + 1 < r.turns().size() ? block(r.turns().get(i + 1).startedAt()) : blocks;
            to = Math.min(to, blocks);
            int first = -1;
            int last = -1;
            int run = 0;
            int longest = 0;
            int audio = 0;
            for (int b = from; b < to; b++) {
                if (voiced[b]) {
                    if (first < 0) {
                        first = b;
                    } else {
                        longest = Math.max(longest, run);
                    }
                    last = b;
                    run = 0;
                    audio++;
                } else if (first >= 0) {
                    run++;
                }
            }
            Duration gap = first < 0 ? time(to - from) : time(first - from);
            out.add(new TurnSilence(i, gap, time(longest), time(audio)));
        }
        return out;
    }

    /** The longest silence the caller heard while waiting for or listening to an answer. */
    static Duration longest(List<TurnSilence> turns) {
        return turns.stream().map(TurnSilence::longest).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    private static int block(Duration t) {
        return (int) (t.toNanos() / 20_000_000L);
    }

    private static Duration time(int blocks) {
        return Duration.ofMillis(20L * blocks);
    }
}
