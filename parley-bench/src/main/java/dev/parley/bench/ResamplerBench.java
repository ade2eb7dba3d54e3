package dev.parley.bench;

import dev.parley.audio.Resampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming resampling of one 20 ms input frame, with one {@link Resampler} reused across invocations as a call's
 * audio path uses it (the state carries over; the output array is the only allocation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResamplerBench {
    /** Input and output rate, in Hz. */
    @Param({"8000-16000", "16000-8000", "24000-8000", "48000-16000"})
    public String rates = "8000-16000";

    private Resampler resampler = Resampler.create(8000, 16000);
    private short[][] frames = new short[0][];
    private int next;

    @Setup
    public void setUp() {
        String[] parts = rates.split("-", 2);
        int in = Integer.parseInt(parts[0]);
        int out = Integer.parseInt(parts[1]);
        resampler = Resampler.create(in, out);
        frames = VoiceAudio.frames(in, 50);
        next = 0;
    }

    @Benchmark
    public short[] frame() {
        int i = next;
        next = i + 1 == frames.length ? 0 : i + 1;
        return resampler.process(frames[i]);
    }
}
