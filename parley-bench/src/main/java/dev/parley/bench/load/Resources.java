package dev.parley.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Process CPU time, peak heap growth and the machine's load average over a run, sampled every 100 ms by one
 * daemon thread. The numbers cover the whole JVM: with the in-process server that includes the simulated callers.
 */
final class Resources implements AutoCloseable {
    private static final long SAMPLE_MS = 100;

    /** What a run cost (CPU in core-seconds, heap in bytes, load averages over one minute). */
    record Usage(double wallSeconds, double cpuSeconds, long heapBaseline, long heapPeak, double loadStart,
                 double loadMax, double loadEnd, int processors) {}

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("bench-resources").unstarted(r));
    private final long wallStart;
    private final long cpuStart;
    private final long heapBaseline;
    private final double loadStart;
    private volatile long heapPeak;
    private volatile double loadMax;

    private Resources() {
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        this.heapBaseline = memory.getHeapMemoryUsage().getUsed();
        this.heapPeak = heapBaseline;
        this.loadStart = loadAverage();
        this.loadMax = loadStart;
        this.wallStart = System.nanoTime();
        this.cpuStart = os.getProcessCpuTime();
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    /** Collects garbage, takes the baseline and starts sampling. */
    static Resources start() {
        return new Resources();
    }

    private long ticks;

    private void sample() {
        heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
        if (ticks++ % 10 == 0) {
            loadMax = Math.max(loadMax, loadAverage());
        }
    }

    /** Stops sampling and returns the totals. */
    Usage stop() {
        sampler.shutdownNow();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double end = loadAverage();
        return new Usage(wall, cpu, heapBaseline, Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed()), loadStart,
                Math.max(loadMax, end), end, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /** The one-minute load average from {@code /proc/loadavg}, or the JVM's view of it, or -1. */
    static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).strip();
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
