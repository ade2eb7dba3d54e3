package dev.parley;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where providers report {@link ProviderEvent}s for a call (by the call id every SPI request carries). A running
 * call registers itself here, so the events land in its journal, its events and its metrics.
 */
public final class ProviderEvents {
    private static final Map<String, Consumer<ProviderEvent>> CALLS = new ConcurrentHashMap<>();
    private static final java.util.List<Consumer<ProviderEvent>> GLOBAL = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ProviderEvents() {}

    /** Reports an event for a call; ignored when the call is not (or no longer) running. */
    public static void report(String callId, ProviderEvent event) {
        Consumer<ProviderEvent> c = CALLS.get(callId);
        if (c != null) {
            c.accept(event);
        }
        for (Consumer<ProviderEvent> l : GLOBAL) {
            l.accept(event);
        }
    }

    /** Registers a running call's receiver; close the handle when the call ends. */
    public static AutoCloseable register(String callId, Consumer<ProviderEvent> receiver) {
        CALLS.put(callId, receiver);
        return () -> CALLS.remove(callId, receiver);
    }

    /** Adds a process-wide listener (metrics, tests); close the handle to remove it. */
    public static AutoCloseable listen(Consumer<ProviderEvent> listener) {
        GLOBAL.add(listener);
        return () -> GLOBAL.remove(listener);
    }
}
