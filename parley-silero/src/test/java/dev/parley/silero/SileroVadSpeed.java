package dev.parley.silero;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.VadSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * Speed check, not a test: mean CPU time per 32 ms window on one thread, feeding the speech
 * fixture in 20 ms frames (Java side included). Run with
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath> dev.parley.silero.SileroVadSpeed [windows]}.
 */
public final class SileroVadSpeed {
    private static final int WARM_UP_WINDOWS = 2_000;

    private SileroVadSpeed() {}

    public static void main(String[] args) {
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (SileroVad vad = SileroVad.create()) {
            for (int rate : new int[] {16000, 8000}) {
                List<AudioFrame> frames = TestAudio.frames(TestAudio.pizza(rate), rate / 50);
                int window = rate == 16000 ? 512 : 256;
                try (VadSession session = vad.open(rate)) {
                    feed(session, frames, (long) WARM_UP_WINDOWS * window);
                    long cpu = mx.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    feed(session, frames, (long) windows * window);
                    cpu = mx.getCurrentThreadCpuTime() - cpu;
                    wall = System.nanoTime() - wall;
                    System.out.printf("%5d Hz: %d windows, mean CPU %.1f µs/window, mean wall %.1f µs/window, RTF %.4f%n",
                            rate, windows, cpu / 1e3 / windows, wall / 1e3 / windows, cpu / (windows * 32e6));
                }
            }
        }
    }

    /** Feeds the frames round and round until {@code samples} samples went in (exactly whole windows). */
    private static void feed(VadSession session, List<AudioFrame> frames, long samples) {
        long fed = 0;
        int i = 0;
        while (fed < samples) {
            AudioFrame frame = frames.get(i++ % frames.size());
            if (frame.length() > samples - fed) {
                frame = new AudioFrame(Arrays.copyOf(frame.samples(), (int) (samples - fed)), frame.sampleRate());
            }
            session.accept(frame);
            fed += frame.length();
        }
    }
}
