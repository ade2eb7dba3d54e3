package dev.parley.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFormat;
import dev.parley.spi.PullStream;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.testkit.TestAudio;
import dev.parley.testkit.fakes.deepgram.FakeDeepgramServer;
import dev.parley.testkit.fakes.deepgram.RecordedListen;
import dev.parley.testkit.fakes.deepgram.RecordedSpeak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What this client adds on top of the server: the fake's send time of a final (or of a flush's
 * first audio) to the moment our {@code next()} returns the event, on one clock. Printed as
 * p50/p95 (a measurement, not a benchmark); the assertion is a generous bound.
 */
class DeepgramOverheadTest {
    static final String KEY = "dg-overhead-key";

    private record Stamped<T>(T event, long at) {}

    /** Reads a stream on a virtual thread, stamping each event with System.nanoTime(). */
    private static <T> LinkedBlockingQueue<Stamped<T>> stamp(PullStream<T> stream) {
        var q = new LinkedBlockingQueue<Stamped<T>>();
        Thread.ofVirtual().start(() -> {
            try {
                for (var e = stream.next(); e.isPresent(); e = stream.next()) {
                    q.add(new Stamped<>(e.get(), System.nanoTime()));
                }
            } catch (RuntimeException ignored) {
                // the test fails on a missing event instead
            }
        });
        return q;
    }

    private static <T> Stamped<T> await(LinkedBlockingQueue<Stamped<T>> q, Class<?> type) throws Exception {
        while (true) {
            Stamped<T> s = q.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("an event of " + type.getSimpleName()).isNotNull();
            if (type.isInstance(s.event())) {
                return s;
            }
        }
    }

    @Test
    void sttFinalAndTtsFirstAudioOverhead() throws Exception {
        List<Long> stt = new ArrayList<>();
        List<Long> tts = new ArrayList<>();

        try (var server = FakeDeepgramServer.builder().apiKey(KEY).utterances("Two large pizzas please.")
                .finalLatency(Duration.ofMillis(20)).timeToFirstByte(Duration.ofMillis(20))
                .speechPerCharacter(Duration.ofMillis(10)).start()) {
            var sttClient = DeepgramStt.builder().baseUrl(server.baseUrl()).apiKey(KEY).build();
            try (SttStream stream = sttClient.open(new SttRequest("m", AudioFormat.PCM_16K, "en-US", List.of()))) {
                var events = stamp(stream);
                RecordedListen rec = server.awaitListen(0, Duration.ofSeconds(5));
                for (int i = 0; i < 25; i++) {
                    TestAudio.utterance(Duration.ofMillis(600), Duration.ofMillis(400), 16000).forEach(stream::send);
                    Stamped<SttEvent> fin = await(events, SttEvent.Final.class);
                    rec.awaitFinals(i + 1, Duration.ofSeconds(5));
                    stt.add(fin.at() - rec.finals().get(i).sentAt());
                }
            }
            var ttsClient = DeepgramAuraTts.builder().baseUrl(server.baseUrl()).apiKey(KEY).build();
            try (TtsStream stream = ttsClient.open(new TtsRequest("m", 16000, "en-US", ""))) {
                var events = stamp(stream);
                RecordedSpeak rec = server.awaitSpeak(0, Duration.ofSeconds(5));
                for (int i = 0; i < 15; i++) {
                    stream.send("Anything else? ");
                    stream.flush();
                    Stamped<TtsEvent> first = await(events, TtsEvent.Audio.class);
                    await(events, TtsEvent.Flushed.class);
                    tts.add(first.at() - rec.firstAudioSentAt().get(i));
                }
            }
        }
        String line = "Deepgram client overhead: fake final sent -> SttEvent.Final: " + summary(stt)
                + "; fake first audio sent -> first TtsEvent.Audio: " + summary(tts);
        System.out.println(line);
        assertThat(percentile(stt, 50)).as("STT overhead p50 (ns)").isLessThan(Duration.ofMillis(100).toNanos());
        assertThat(percentile(tts, 50)).as("TTS overhead p50 (ns)").isLessThan(Duration.ofMillis(100).toNanos());
    }

    private static String summary(List<Long> nanos) {
        return String.format("p50 %.2f ms, p95 %.2f ms, max %.2f ms (n=%d)", percentile(nanos, 50) / 1e6,
                percentile(nanos, 95) / 1e6, percentile(nanos, 100) / 1e6, nanos.size());
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
