package dev.parley.testkit;

import java.util.ArrayDeque;
import java.util.List;

/** The faults a fake applies to the streams it opens, one per open, in order; then healthy streams. */
final class FaultPlan {
    private final ArrayDeque<Fault> queue;

    FaultPlan(List<Fault> faults) {
        this.queue = new ArrayDeque<>(faults);
    }

    synchronized void add(Fault fault) {
        queue.add(fault);
    }

    synchronized Fault next() {
        Fault f = queue.poll();
        return f == null ? Fault.none() : f;
    }
}
