package dev.parley.sphinx;

import com.sun.management.OperatingSystemMXBean;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurements, not a test: {@code ./mvnw -pl parley-sphinx test -Dtest=SphinxSttBenchmark -Dsphinx.bench=true}.
 * Prints build/recogniser cost, heap per recogniser, WER and CPU real-time factor, parallel throughput.
 */
@EnabledIfSystemProperty(named = "sphinx.bench", matches = "true")
class SphinxSttBenchmark {
    final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    long heapMb() {
        System.gc();
        System.gc();
        var mem = ManagementFactory.getMemoryMXBean();
        return mem.getHeapMemoryUsage().getUsed() >> 20;
    }

    @Test
    void measure() throws Exception {
        short[] audio16 = orderAudio();
        short[] audio8 = Speech.to8k(audio16);
        double seconds = audio16.length / 16000.0;
        long heap0 = heapMb();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        int max = 6;
        var stt = SphinxStt.builder().corpus(MenuCorpus.sentences()).maxConcurrentStreams(max).prewarm(1).beamWidth(Integer.getInteger("beam", 2000)).build();
        System.out.printf("build (corpus %d sentences, 1 recogniser): wall %d ms, cpu %d ms%n", MenuCorpus.sentences().size(),
                (System.nanoTime() - t0) / 1_000_000, (os.getProcessCpuTime() - c0) / 1_000_000);
        long heap1 = heapMb();
        List<SttStream> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long c = os.getProcessCpuTime();
            long t = System.nanoTime();
            held.add(stt.open(new SttRequest("h" + i, AudioFormat.PCM_16K, "en-US", List.of())));
            System.out.printf("open #%d (recognisers %d): wall %d ms, cpu %d ms%n", i + 1, stt.recognizers(),
                    (System.nanoTime() - t) / 1_000_000, (os.getProcessCpuTime() - c) / 1_000_000);
        }
        long heap4 = heapMb();
        System.out.printf("heap: before %d MB, 1 recogniser %d MB, 3 recognisers %d MB -> %.1f MB per recogniser%n",
                heap0, heap1, heap4, (heap4 - heap1) / 2.0);
        held.forEach(SttStream::close);
        for (int round = 0; round < 3; round++) {
            int rate = round == 2 ? 8000 : 16000;
            long c = os.getProcessCpuTime();
            long t = System.nanoTime();
            double wer = run(stt, rate == 8000 ? audio8 : audio16, rate);
            double cpu = (os.getProcessCpuTime() - c) / 1e9;
            System.out.printf("round %d %d Hz: WER %.1f %%, cpu %.2f s for %.1f s audio (CPU-RTF %.3f), wall %.2f s%n",
                    round, rate, wer * 100, cpu, seconds, cpu / seconds, (System.nanoTime() - t) / 1e9);
        }
        for (int n : new int[] {2, 4}) {
            long c = os.getProcessCpuTime();
            long t = System.nanoTime();
            List<CompletableFuture<Double>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int rate = i % 2 == 0 ? 8000 : 16000;
                all.add(CompletableFuture.supplyAsync(() -> run(stt, rate == 8000 ? audio8 : audio16, rate)));
            }
            List<Double> wers = all.stream().map(CompletableFuture::join).toList();
            double wall = (System.nanoTime() - t) / 1e9;
            System.out.printf("%d parallel streams: %.1f s audio in %.2f s wall = %.1f x real time (cpu %.2f s), WERs %s%n",
                    n, n * seconds, wall, n * seconds / wall, (os.getProcessCpuTime() - c) / 1e9, wers);
        }
        // finalize latency with real-time pacing: the recogniser is caught up when finalizeTurn comes
        try (var s = stt.open(new SttRequest("lat", AudioFormat.PCM_8K, "en-US", List.of()))) {
            for (String sentence : List.of(SphinxSttTest.ORDERS.get(1), SphinxSttTest.ORDERS.get(4))) {
                short[] speech = Speech.to8k(Speech.trimTrailingSilence(Speech.say(sentence)));
                long next = System.nanoTime();
                for (AudioFrame f : Speech.frames(speech, 8000)) {
                    s.send(f);
                    next += 20_000_000;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                long asked = System.nanoTime();
                s.finalizeTurn();
                var fin = SphinxSttTest.nextFinal(s);
                System.out.printf("finalizeTurn -> final in %d ms (%s)%n", (System.nanoTime() - asked) / 1_000_000,
                        fin.text().equals(sentence) ? "correct" : "'" + fin.text() + "'");
            }
        }
        System.out.printf("process cpu total %.1f s, load average %.1f%n", os.getProcessCpuTime() / 1e9, os.getSystemLoadAverage());
        stt.close();
    }

    static short[] orderAudio() {
        List<short[]> parts = new ArrayList<>(List.of(Speech.silence(400, 16000)));
        for (String s : SphinxSttTest.ORDERS) {
            parts.add(Speech.say(s));
            parts.add(Speech.silence(800, 16000));
        }
        return Speech.concat(parts);
    }

    static double run(SphinxStt stt, short[] audio, int rate) {
        try (var s = stt.open(new SttRequest("b", AudioFormat.pcm16(rate), "en-US", List.of()))) {
            for (AudioFrame f : Speech.frames(audio, rate)) {
                s.send(f);
            }
            s.finish();
            List<SttEvent> events = new ArrayList<>();
            for (var e = s.next(); e.isPresent(); e = s.next()) {
                events.add(e.get());
            }
            var finals = SphinxSttTest.finals(events);
            double wer = SphinxSttTest.wer(SphinxSttTest.ORDERS, finals);
            if (wer > 0) {
                System.out.println("  errors at " + rate + " Hz: " + finals.stream().map(SttEvent.Final::text).toList());
            }
            return wer;
        }
    }
}
