package dev.parley.silero;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many sessions on one shared ONNX Runtime session, fed from several threads at once. */
class SileroVadConcurrencyTest {
    private static final int THREADS = 4;
    private static final int SESSIONS_PER_THREAD = 6;

    /** Every window's probability and every event of one stream. */
    record Trace(List<Float> probabilities, List<VadEvent> events) {}

    private static Trace trace(SileroVad vad, AudioFrame audio, int frameLength) {
        List<Float> probabilities = new ArrayList<>();
        List<VadEvent> events = new ArrayList<>();
        try (VadSession session = vad.open(audio.sampleRate())) {
            for (AudioFrame frame : TestAudio.frames(audio, frameLength)) {
                events.addAll(session.accept(frame));
                probabilities.add(session.probability());
            }
        }
        return new Trace(probabilities, events);
    }

    @Test
    void concurrentSessionsGiveTheSameResultsAsSequentialOnes() throws Exception {
        AudioFrame[] inputs = {TestAudio.pizza(16000), TestAudio.pizza(8000)};
        try (SileroVad vad = SileroVad.create()) {
            Trace[] sequential = {trace(vad, inputs[0], 512), trace(vad, inputs[1], 256)};
            assertThat(sequential[0].events()).hasSize(2);
            assertThat(sequential[1].events()).hasSize(2);

            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<List<Trace>>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    start.await(); // all threads run inference at the same time
                    List<Trace> traces = new ArrayList<>();
                    for (int s = 0; s < SESSIONS_PER_THREAD; s++) {
                        int which = (thread + s) % 2;
                        traces.add(trace(vad, inputs[which], which == 0 ? 512 : 256));
                    }
                    return traces;
                });
            }
            List<Future<List<Trace>>> results;
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                results = pool.invokeAll(tasks);
            }
            for (int t = 0; t < THREADS; t++) {
                List<Trace> traces = results.get(t).get();
                for (int s = 0; s < SESSIONS_PER_THREAD; s++) {
                    assertThat(traces.get(s)).as("thread %d session %d", t, s).isEqualTo(sequential[(t + s) % 2]);
                }
            }
        }
    }

    @Test
    void interleavedSessionsOnOneThreadKeepSeparateState() {
        AudioFrame speech = TestAudio.pizza(16000);
        AudioFrame silence = AudioFrame.silence(speech.duration(), 16000);
        try (SileroVad vad = SileroVad.create();
                VadSession a = vad.open(16000);
                VadSession b = vad.open(16000)) {
            List<VadEvent> eventsA = new ArrayList<>();
            List<VadEvent> eventsB = new ArrayList<>();
            List<AudioFrame> framesA = TestAudio.frames(speech, 320);
            List<AudioFrame> framesB = TestAudio.frames(silence, 320);
            for (int i = 0; i < framesA.size(); i++) {
                eventsA.addAll(a.accept(framesA.get(i)));
                eventsB.addAll(b.accept(framesB.get(i)));
            }
            assertThat(eventsA).isEqualTo(SileroVadTest.detect(vad, speech, 320));
            assertThat(eventsB).isEmpty();
        }
    }
}
