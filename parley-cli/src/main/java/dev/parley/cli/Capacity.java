package dev.parley.cli;

import dev.parley.CallEvent;
import dev.parley.audio.AudioFrame;
import dev.parley.examples.ordering.Cart;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offline capacity: N scripted orders at once, in real time, on the embedded stack. Reports recognition word error
 * rate, order success, turn gaps, CPU and heap per call.
 */
final class Capacity {
    record Result(int calls, int succeeded, double wer, List<Duration> gaps, double cpuCoresPerCall,
                  long heapBytesPerCall, double wallSeconds, long maxLateFrameMs) {
        Duration gap(double q) {
            if (gaps.isEmpty()) {
                return Duration.ZERO;
            }
            List<Duration> sorted = gaps.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
        }
    }

    private Capacity() {}

    static Result run(int calls, double speed, PrintStream out) throws Exception {
        OfflineOrdering stack = OfflineOrdering.create(calls);
        List<ScriptedOrders.Order> orders = ScriptedOrders.all();
        Map<String, List<AudioFrame>> speech = new ConcurrentHashMap<>();
        for (ScriptedOrders.Order o : orders) {
            for (ScriptedOrders.Line l : o.lines()) {
                speech.computeIfAbsent(l.text(), t -> CallerVoice.speak(t, Parley.RATE));
            }
        }
        // warm the stack once so class loading and JIT are not counted
        runOne(stack, orders.getFirst(), speech, speed, "warmup", Path.of(System.getProperty("java.io.tmpdir")));
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        List<Duration> gaps = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        long[] edits = new long[2];
        long[] peakHeap = {0};
        Path dir = Files.createTempDirectory("parley-capacity");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            ScriptedOrders.Order order = orders.get(i % orders.size());
            String id = "cap-" + i;
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    LocalCall.Report r = runOne(stack, order, speech, speed, id, dir);
                    gaps.addAll(r.turnGaps());
                    Cart cart = stack.cartOf(id);
                    boolean success = order.handoff()
                            ? r.events().stream().anyMatch(e -> e instanceof CallEvent.Transferred)
                            : cart.confirmed() && cart.lines().size() == order.cart().size();
                    if (success) {
                        ok.incrementAndGet();
                    }
                    String heard = String.join(" ", r.events().stream().filter(e -> e instanceof CallEvent.Transcript tr
                            && tr.complete()).map(e -> ((CallEvent.Transcript) e).text()).toList());
                    String said = String.join(" ", order.lines().stream().map(ScriptedOrders.Line::text).toList());
                    synchronized (edits) {
                        edits[0] += WordErrors.distance(said, heard);
                        edits[1] += WordErrors.words(said);
                    }
                } catch (Exception e) {
                    out.println("call " + id + " failed: " + e);
                }
            });
            threads.add(t);
            Thread.sleep(Duration.ofMillis(300)); // staggered starts
        }
        while (threads.stream().anyMatch(Thread::isAlive)) {
            peakHeap[0] = Math.max(peakHeap[0], mem.getHeapMemoryUsage().getUsed());
            threads.getFirst().join(Duration.ofMillis(200));
            threads.removeIf(t -> !t.isAlive());
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        long heapPerCall = Math.max(0, (peakHeap[0] - heapBefore) / calls);
        return new Result(calls, ok.get(), edits[1] == 0 ? 0 : (double) edits[0] / edits[1], List.copyOf(gaps),
                cpu / wall / calls, heapPerCall, wall, 0);
    }

    private static LocalCall.Report runOne(OfflineOrdering stack, ScriptedOrders.Order order,
                                           Map<String, List<AudioFrame>> speech, double speed, String id, Path dir)
            throws Exception {
        List<LocalCall.Turn> turns = new ArrayList<>();
        for (ScriptedOrders.Line l : order.lines()) {
            turns.add(new LocalCall.Turn(l.text(), speech.get(l.text()), l.bargeInAfter()));
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new LocalCall(stack.agent(), Parley.RATE, speed, quiet, dir).run(id, turns);
    }

    static void print(Result r, PrintStream out) {
        out.printf("concurrent calls      %d%n", r.calls());
        out.printf("orders completed      %d/%d (%.0f %%)%n", r.succeeded(), r.calls(), 100.0 * r.succeeded() / r.calls());
        out.printf("word error rate       %.1f %%%n", 100 * r.wer());
        out.printf("turn gap p50 / p95    %d / %d ms (%d turns)%n", r.gap(0.5).toMillis(), r.gap(0.95).toMillis(),
                r.gaps().size());
        out.printf("CPU per call          %.3f cores%n", r.cpuCoresPerCall());
        out.printf("heap per call (peak)  %.1f MB%n", r.heapBytesPerCall() / 1e6);
        out.printf("wall time             %.1f s%n", r.wallSeconds());
    }
}
