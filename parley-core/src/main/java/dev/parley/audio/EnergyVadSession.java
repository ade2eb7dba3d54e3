package dev.parley.audio;

import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One stream's state of an {@link EnergyVad}. Allocates nothing per frame unless an event occurs. */
final class EnergyVadSession implements VadSession {
    /** Noise-floor histogram: 0.5 dB bins from -120 dBFS to 0 dBFS. */
    private static final int BINS = 241;
    private static final double PERCENTILE = 0.10;

    private final EnergyVad config;
    private final int sampleRate;
    private final int windowSamples;
    private final int minSpeechWindows;
    private final int minSilenceWindows;

    private final byte[] history;
    private final int[] histogram = new int[BINS];
    private int historyNext;
    private int historyCount;

    private double energy;
    private int filled;
    /** Sample offset of the window being filled. */
    private long windowStart;

    private boolean speaking;
    private int runWindows;
    /** In silence: start of the current voiced run; in speech: start of the current unvoiced run. */
    private long runStart;
    private long speechStart;
    private float probability;
    private boolean closed;

    EnergyVadSession(EnergyVad config, int sampleRate) {
        this.config = config;
        this.sampleRate = sampleRate;
        this.windowSamples = Math.max(1, AudioFormat.pcm16(sampleRate).samplesFor(config.window()));
        long windowNanos = windowSamples * 1_000_000_000L / sampleRate;
        this.minSpeechWindows = (int) Math.max(1, ceilDiv(config.minSpeech().toNanos(), windowNanos));
        this.minSilenceWindows = (int) Math.max(1, ceilDiv(config.minSilence().toNanos(), windowNanos));
        this.history = new byte[(int) ceilDiv(config.noiseHistory().toNanos(), windowNanos)];
    }

    @Override
    public List<VadEvent> accept(AudioFrame frame) {
        if (closed) {
            throw new IllegalStateException("VAD session is closed");
        }
        if (frame.sampleRate() != sampleRate) {
            throw new IllegalArgumentException(
                    "frame is at " + frame.sampleRate() + " Hz, session opened at " + sampleRate + " Hz");
        }
        List<VadEvent> events = List.of();
        short[] samples = frame.samples();
        int i = 0;
        while (i < samples.length) {
            int take = Math.min(windowSamples - filled, samples.length - i);
            double sum = energy;
            for (int end = i + take; i < end; i++) {
                sum += (double) samples[i] * samples[i];
            }
            energy = sum;
            filled += take;
            if (filled == windowSamples) {
                VadEvent event = window(Pcm.meanSquareToDbfs(energy / windowSamples));
                if (event != null) {
                    if (events.isEmpty()) {
                        events = new ArrayList<>(2);
                    }
                    events.add(event);
                }
                energy = 0;
                filled = 0;
                windowStart += windowSamples;
            }
        }
        return events;
    }

    /** Processes one complete window; returns the transition it causes, if any. */
    private @org.jspecify.annotations.Nullable VadEvent window(double level) {
        double floor = remember(level);
        double hysteresis = config.startThreshold() - config.stopThreshold();
        double threshold = speaking
                ? Math.max(floor + config.stopThreshold(), config.minimumLevel() - hysteresis)
                : Math.max(floor + config.startThreshold(), config.minimumLevel());
        boolean voiced = level >= threshold;
        probability = (float) (1 / (1 + Math.exp(-(level - threshold) / 2)));
        if (!speaking) {
            if (!voiced) {
                runWindows = 0;
                return null;
            }
            if (runWindows++ == 0) {
                runStart = windowStart;
            }
            if (runWindows < minSpeechWindows) {
                return null;
            }
            speaking = true;
            speechStart = runStart;
            runWindows = 0;
            return new VadEvent.SpeechStarted(offset(speechStart));
        }
        if (voiced) {
            runWindows = 0;
            return null;
        }
        if (runWindows++ == 0) {
            runStart = windowStart;
        }
        if (runWindows < minSilenceWindows) {
            return null;
        }
        speaking = false;
        runWindows = 0;
        return new VadEvent.SpeechEnded(offset(runStart), offset(runStart - speechStart));
    }

    /** Adds the level to the noise history and returns the current floor estimate (dBFS). */
    private double remember(double level) {
        int bin = (int) Math.round((Math.max(-120, Math.min(0, level)) + 120) * 2);
        if (historyCount == history.length) {
            histogram[history[historyNext] & 0xFF]--;
        } else {
            historyCount++;
        }
        history[historyNext] = (byte) bin;
        histogram[bin]++;
        historyNext = (historyNext + 1) % history.length;
        int rank = Math.max(1, (int) Math.ceil(historyCount * PERCENTILE));
        int seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return b / 2.0 - 120;
            }
        }
        throw new IllegalStateException("empty noise history");
    }

    private Duration offset(long samples) {
        return Duration.ofNanos(samples * 1_000_000_000L / sampleRate);
    }

    private static long ceilDiv(long a, long b) {
        return Math.ceilDiv(a, b);
    }

    @Override
    public float probability() {
        return probability;
    }

    /** Whether the session is currently inside speech (after SpeechStarted, before SpeechEnded). */
    boolean speaking() {
        return speaking;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "EnergyVadSession[" + sampleRate + " Hz, " + (speaking ? "speech" : "silence") + "]";
    }
}
