package dev.parley.localtts;

import dev.parley.ParleyException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises access to an engine: one platform worker thread per {@link Synthesizer} instance,
 * all taking streams from one ready queue. A worker synthesises one sentence of a stream and puts
 * the stream back at the end of the queue if it has more, so a long reply cannot starve other
 * calls, a stream's pieces stay in order (a stream is in the queue at most once), and a slow reader
 * never blocks a worker (audio goes to the stream's own queue without waiting).
 *
 * <p>These are engine threads for the life of the process (or of the owning engine), not call
 * threads, so they are not started by a call's task scope.
 */
final class EngineScheduler {
    private static final Logger log = LoggerFactory.getLogger(EngineScheduler.class);

    private final LinkedBlockingQueue<SynthesisStream> ready = new LinkedBlockingQueue<>();
    private final List<Thread> workers;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final int sampleRate;

    EngineScheduler(String name, List<? extends Synthesizer> synthesizers) {
        if (synthesizers.isEmpty()) {
            throw new IllegalArgumentException("no synthesizers");
        }
        this.sampleRate = synthesizers.getFirst().sampleRate();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < synthesizers.size(); i++) {
            Synthesizer s = synthesizers.get(i);
            threads.add(Thread.ofPlatform().daemon().name(name + "-" + i).unstarted(() -> work(s)));
        }
        this.workers = List.copyOf(threads);
        workers.forEach(Thread::start);
    }

    /** Native rate of the engine's audio. */
    int sampleRate() {
        return sampleRate;
    }

    int workerCount() {
        return workers.size();
    }

    /** Queues a stream that has work; called by the stream when it was not already queued. */
    void schedule(SynthesisStream stream) {
        ready.add(stream);
        if (stopped.get()) {
            failQueued();
        }
    }

    /** Stops the workers; streams still waiting get a failure instead of hanging. */
    void shutdown() {
        if (stopped.compareAndSet(false, true)) {
            workers.forEach(Thread::interrupt);
            failQueued();
        }
    }

    private void failQueued() {
        for (SynthesisStream s = ready.poll(); s != null; s = ready.poll()) {
            s.fail(new ParleyException("the speech engine was closed"));
        }
    }

    private void work(Synthesizer synthesizer) {
        while (!stopped.get()) {
            SynthesisStream stream;
            try {
                stream = ready.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (stream.step(synthesizer)) {
                    schedule(stream);
                }
            } catch (ParleyException e) {
                log.warn("speech synthesis failed on a stream: {}", e.getMessage());
                stream.fail(e);
            } catch (RuntimeException | Error e) {
                log.error("synthesis worker failed on a stream", e);
                stream.fail(e);
            }
        }
    }
}
