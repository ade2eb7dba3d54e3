package dev.parley.testkit;

import dev.parley.audio.WavAudio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the raw timestamps of a {@link TwilioCallerSession} into a {@link TwilioCallerResult}. */
final class TwilioCallerMeasure {
    private TwilioCallerMeasure() {}

    /** A growable list of longs, appended in ascending order where it holds times. */
    static final class Longs {
        private long[] values = new long[64];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long get(int i) {
            return values[i];
        }

        long last() {
            return values[size - 1];
        }

        int size() {
            return size;
        }

        long sum() {
            long s = 0;
            for (int i = 0; i < size; i++) {
                s += values[i];
            }
            return s;
        }

        /** Index of the first value greater than {@code t} (values ascending), or {@link #size()}. */
        int firstAfter(long t) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[mid] > t) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }

    /** Frame indices of one caller turn, filled in by the tick loop. */
    static final class TurnLog {
        final int index;
        final int startFrame;
        final boolean interrupting;
        int endFrame = -1;
        int firstVoiced = -1;
        int lastVoiced = -1;

        TurnLog(int index, int startFrame, boolean interrupting) {
            this.index = index;
            this.startFrame = startFrame;
            this.interrupting = interrupting;
        }

        void voiced(int frame) {
            if (firstVoiced < 0) {
                firstVoiced = frame;
            }
            lastVoiced = frame;
        }

        void end(int frame) {
            endFrame = frame;
        }
    }

    static TwilioCallerResult result(TwilioCallerSession s, String twiml, Map<String, String> parameters, long end,
            long playedSamples, boolean hungUp, boolean serverClosed, short[] left, short[] right) {
        Longs sent = s.frameSentAt;
        List<TwilioCallerResult.Turn> turns = new ArrayList<>();
        for (int i = 0; i < s.turns.size(); i++) {
            TurnLog t = s.turns.get(i);
            long windowEnd = i + 1 < s.turns.size() ? sent.get(s.turns.get(i + 1).startFrame) : Long.MAX_VALUE;
            int endFrame = t.endFrame >= 0 ? t.endFrame : sent.size() - 1;
            Optional<Duration> firstVoiced = Optional.empty();
            Optional<Duration> lastVoiced = Optional.empty();
            Optional<Duration> gap = Optional.empty();
            Optional<Duration> reaction = Optional.empty();
            long replyFrom = sent.get(endFrame);
            if (t.lastVoiced >= 0) {
                replyFrom = sent.get(t.lastVoiced);
                firstVoiced = Optional.of(s.sinceStart(sent.get(t.firstVoiced)));
                lastVoiced = Optional.of(s.sinceStart(replyFrom));
                int m = s.mediaAt.firstAfter(replyFrom);
                if (m < s.mediaAt.size() && s.mediaAt.get(m) < windowEnd) {
                    gap = Optional.of(Duration.ofNanos(s.mediaAt.get(m) - replyFrom));
                }
                if (t.interrupting) {
                    long voicedAt = sent.get(t.firstVoiced);
                    int c = s.clearsAt.firstAfter(voicedAt);
                    if (c < s.clearsAt.size() && s.clearsAt.get(c) < windowEnd) {
                        reaction = Optional.of(Duration.ofNanos(s.clearsAt.get(c) - voicedAt));
                    }
                }
            }
            long agentSamples = 0;
            for (int m = s.mediaAt.firstAfter(replyFrom); m < s.mediaAt.size() && s.mediaAt.get(m) < windowEnd; m++) {
                agentSamples += s.mediaSamples.get(m);
            }
            turns.add(new TwilioCallerResult.Turn(t.index, s.sinceStart(sent.get(t.startFrame)),
                    s.sinceStart(sent.get(endFrame)), firstVoiced, lastVoiced, t.interrupting, gap, reaction,
                    samples(agentSamples)));
        }
        Optional<Duration> firstAgentAudio = s.mediaAt.size() == 0
                ? Optional.empty()
                : Optional.of(s.sinceStart(s.mediaAt.get(0)));
        List<String> errors;
        synchronized (s.errors) {
            errors = List.copyOf(s.errors);
        }
        return new TwilioCallerResult(TwilioCallerResult.Outcome.CONNECTED, "", 200, twiml, parameters, turns,
                s.clearsAt.size(), s.marksReceived, s.marksEchoed, s.dtmfSent.toString(),
                samples(s.mediaSamples.sum()), samples(playedSamples), firstAgentAudio, s.sinceStart(end),
                Duration.ofNanos(s.maxLateness), hungUp, serverClosed, errors, WavAudio.stereo(left, right, 8000));
    }

    private static Duration samples(long count) {
        return Duration.ofNanos(count * 125_000L);
    }
}
