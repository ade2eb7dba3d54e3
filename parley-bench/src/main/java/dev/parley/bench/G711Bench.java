package dev.parley.bench;

import dev.parley.audio.AudioFormat.Encoding;
import dev.parley.audio.G711;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * G.711 companding of one 20 ms frame at 8 kHz (160 samples), the unit a telephony transport moves. The codec
 * works into preallocated arrays, as a transport's hot path does; the input cycles through one second of voice-like
 * audio so the codes vary like speech.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class G711Bench {
    /** Samples in a 20 ms frame at 8 kHz. */
    public static final int FRAME_SAMPLES = 160;

    private short[][] pcm = new short[0][];
    private byte[][] mulaw = new byte[0][];
    private byte[][] alaw = new byte[0][];
    private final short[] decoded = new short[FRAME_SAMPLES];
    private final byte[] encoded = new byte[FRAME_SAMPLES];
    private int next;

    @Setup
    public void setUp() {
        pcm = VoiceAudio.frames(8000, 50);
        mulaw = new byte[pcm.length][];
        alaw = new byte[pcm.length][];
        for (int i = 0; i < pcm.length; i++) {
            mulaw[i] = G711.encode(pcm[i], Encoding.MULAW);
            alaw[i] = G711.encode(pcm[i], Encoding.ALAW);
        }
    }

    private int frame() {
        int i = next;
        next = i + 1 == pcm.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public byte[] muLawEncode() {
        G711.encode(pcm[frame()], 0, encoded, 0, FRAME_SAMPLES, Encoding.MULAW);
        return encoded;
    }

    @Benchmark
    public short[] muLawDecode() {
        G711.decode(mulaw[frame()], 0, decoded, 0, FRAME_SAMPLES, Encoding.MULAW);
        return decoded;
    }

    @Benchmark
    public byte[] aLawEncode() {
        G711.encode(pcm[frame()], 0, encoded, 0, FRAME_SAMPLES, Encoding.ALAW);
        return encoded;
    }

    @Benchmark
    public short[] aLawDecode() {
        G711.decode(alaw[frame()], 0, decoded, 0, FRAME_SAMPLES, Encoding.ALAW);
        return decoded;
    }
}
