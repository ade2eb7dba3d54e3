package dev.parley.testkit.resilience;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Captures the provider events reported for one fresh call id, with the time each arrived. */
final class Reports implements AutoCloseable {
    record Entry(long nanos, ProviderEvent event) {}

    final String callId = "call-" + UUID.randomUUID();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final AutoCloseable registration;

    Reports() {
        registration = ProviderEvents.register(callId, this::add);
    }

    private synchronized void add(ProviderEvent e) {
        entries.add(new Entry(System.nanoTime(), e));
        notifyAll();
    }

    /** Waits (at most 5 s) until an event of this kind has been reported; stalls are reported asynchronously. */
    synchronized ProviderEvent await(String kind) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (of(kind).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + kind + " event in " + kinds());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return of(kind).getFirst();
    }

    List<String> kinds() {
        return entries.stream().map(e -> e.event().kind()).toList();
    }

    List<ProviderEvent> of(String kind) {
        return entries.stream().map(Entry::event).filter(e -> e.kind().equals(kind)).toList();
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    long firstNanos(String kind) {
        return entries.stream().filter(e -> e.event().kind().equals(kind)).mapToLong(Entry::nanos).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " event in " + kinds()));
    }

    @Override
    public void close() throws Exception {
        registration.close();
    }
}
