package dev.parley.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.TestAudio;
import dev.parley.testkit.fakes.deepgram.FakeDeepgramServer;
import dev.parley.testkit.fakes.deepgram.ListenFault;
import dev.parley.testkit.fakes.deepgram.RecordedListen;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DeepgramStt against the fake: wire parameters, event mapping, timing duties and failures. */
class DeepgramSttTest {
    static final String KEY = "dg-unit-key";
    static final Duration WAIT = Duration.ofSeconds(5);
    static final SttRequest REQUEST = new SttRequest("call-7", AudioFormat.PCM_16K, "en-US",
            List.of("pepperoni", "garlic bread"));

    static FakeDeepgramServer.Builder fake() {
        return FakeDeepgramServer.builder().apiKey(KEY).utterances("A large pepperoni pizza.", "And garlic bread.");
    }

    static DeepgramStt.Builder client(FakeDeepgramServer server) {
        return DeepgramStt.builder().baseUrl(server.baseUrl()).apiKey(KEY);
    }

    static void send(SttStream stream, List<AudioFrame> frames) {
        frames.forEach(stream::send);
    }

    @Test
    void connectsWithTokenAuthAndTheDocumentedQuery() {
        try (var server = fake().start();
                var stream = client(server).endpointing(Duration.ofMillis(400)).build().open(REQUEST)) {
            RecordedListen rec = server.awaitListen(0, WAIT);
            assertThat(rec.authorization()).isEqualTo("Token " + KEY);
            assertThat(rec.query()).containsEntry("model", List.of("nova-3"))
                    .containsEntry("encoding", List.of("linear16")).containsEntry("sample_rate", List.of("16000"))
                    .containsEntry("interim_results", List.of("true")).containsEntry("endpointing", List.of("400"))
                    .containsEntry("utterance_end_ms", List.of("1000")).containsEntry("vad_events", List.of("true"))
                    .containsEntry("smart_format", List.of("true")).containsEntry("language", List.of("en-US"))
                    .containsEntry("keyterm", List.of("pepperoni", "garlic bread"));
            assertThat(stream).isNotNull();
        }
    }

    @Test
    void endpointingGivesSpeechStartedInterimsFinalWithEndOfSpeechThenUtteranceEnd() {
        try (var server = fake().start();
                var events = StreamRecorder.start(client(server).build().open(REQUEST))) {
            SttStream stream = (SttStream) events.stream();
            send(stream, TestAudio.utterance(Duration.ofMillis(1500), Duration.ofMillis(1400), 16000));
            events.awaitItem(SttEvent.UtteranceEnd.class, WAIT);
            List<SttEvent> all = events.items();
            assertThat(all.getFirst()).isInstanceOf(SttEvent.SpeechStarted.class);
            var fin = events.items(SttEvent.Final.class).getFirst();
            assertThat(fin.text()).isEqualTo("A large pepperoni pizza.");
            assertThat(fin.endOfSpeech()).isTrue();
            assertThat(fin.words()).extracting(w -> w.word()).containsExactly("A", "large", "pepperoni", "pizza.");
            assertThat(fin.words().getLast().end()).isBetween(Duration.ofMillis(1400), Duration.ofMillis(1600));
            assertThat(all.indexOf(fin)).isGreaterThan(all.indexOf(events.items(SttEvent.Interim.class).getFirst()));
            var end = events.items(SttEvent.UtteranceEnd.class).getFirst();
            assertThat(end.lastWordEnd()).isEqualTo(fin.words().getLast().end());
            assertThat(all.indexOf(end)).isGreaterThan(all.indexOf(fin));
        }
    }

    @Test
    void mulawOnTheWireHalvesTheBytesAndStillTranscribes() {
        var request = new SttRequest("call-8", AudioFormat.PCM_8K, "en-US", List.of());
        try (var server = fake().start();
                var events = StreamRecorder.start(client(server).encoding(AudioFormat.Encoding.MULAW).build()
                        .open(request))) {
            SttStream stream = (SttStream) events.stream();
            send(stream, TestAudio.utterance(Duration.ofMillis(1000), Duration.ofMillis(500), 8000));
            var fin = events.awaitItem(SttEvent.Final.class, WAIT);
            assertThat(fin.text()).isEqualTo("A large pepperoni pizza.");
            RecordedListen rec = server.listens().getFirst();
            assertThat(rec.param("encoding")).contains("mulaw");
            assertThat(rec.audioBytes()).isEqualTo(8000 * 3 / 2);
        }
    }

    @Test
    void finalizeTurnGetsAFinalPromptly() {
        try (var server = fake().finalLatency(Duration.ofMillis(150)).start();
                var events = StreamRecorder.start(client(server).build().open(REQUEST))) {
            SttStream stream = (SttStream) events.stream();
            send(stream, TestAudio.utterance(Duration.ofMillis(800), Duration.ofMillis(100), 16000));
            long t0 = System.nanoTime();
            stream.finalizeTurn();
            var fin = events.awaitItem(SttEvent.Final.class, WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(fin.text()).isEqualTo("A large pepperoni pizza.");
            assertThat(fin.endOfSpeech()).as("a Finalize final is not an endpointing verdict").isFalse();
            assertThat(took).isBetween(Duration.ofMillis(140), Duration.ofMillis(1500));
            assertThat(server.listens().getFirst().count("Finalize")).isEqualTo(1);
        }
    }

    @Test
    void keepAliveGoesOutWhileTheCallerIsSilent() {
        try (var server = fake().idleTimeout(Duration.ofMillis(900)).start();
                var events = StreamRecorder.start(client(server).keepAlive(Duration.ofMillis(300)).build()
                        .open(REQUEST))) {
            RecordedListen rec = server.awaitListen(0, WAIT);
            rec.awaitControl("KeepAlive", 5, WAIT); // 1.5 s with no audio: past the fake's 0.9 s idle limit
            assertThat(rec.closeCode()).as("idle close").isEmpty();
            assertThat(events.failure()).isEmpty();
            List<RecordedListen.Control> keepAlives = rec.controls();
            for (int i = 1; i < keepAlives.size(); i++) {
                long gap = keepAlives.get(i).receivedAt() - keepAlives.get(i - 1).receivedAt();
                assertThat(Duration.ofNanos(gap)).isLessThan(Duration.ofMillis(800));
            }
        }
    }

    @Test
    void idleTimeoutCloseIsARetryableNet0001Failure() {
        try (var server = fake().idleTimeout(Duration.ofMillis(300)).start();
                var events = StreamRecorder.start(client(server).build().open(REQUEST))) {
            Throwable error = events.awaitFailure(WAIT);
            assertThat(error).isInstanceOf(DeepgramException.class).hasMessageContaining("NET-0001");
            assertThat(((ParleyException) error).retryable()).isTrue();
        }
    }

    @Test
    void badKeyFailsOpenWithTheFix() {
        try (var server = fake().start()) {
            var stt = DeepgramStt.builder().baseUrl(server.baseUrl()).apiKey("wrong").build();
            assertThatThrownBy(() -> stt.open(REQUEST)).isInstanceOfSatisfying(DeepgramException.class, e -> {
                assertThat(e).hasMessageContaining("Deepgram rejected the API key: set DEEPGRAM_API_KEY");
                assertThat(e.retryable()).isFalse();
            });
            assertThat(server.listens()).isEmpty();
        }
    }

    @Test
    void tooManyRequestsIsRetryableWithRetryAfter() {
        try (var server = fake().start()) {
            server.rejectUpgrades(429, Duration.ofSeconds(2));
            var stt = client(server).build();
            assertThatThrownBy(() -> stt.open(REQUEST)).isInstanceOfSatisfying(DeepgramException.class, e -> {
                assertThat(e).hasMessageContaining("429");
                assertThat(e.retryable()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
            });
            server.acceptUpgrades();
            stt.open(REQUEST).close();
            assertThat(server.awaitListen(0, WAIT)).isNotNull(); // the server records the session asynchronously
            assertThat(server.listens()).hasSize(1);
        }
    }

    @Test
    void unreachableServerIsRetryable() {
        var stt = DeepgramStt.builder().baseUrl("ws://127.0.0.1:1").apiKey(KEY).build();
        assertThatThrownBy(() -> stt.open(REQUEST)).isInstanceOfSatisfying(DeepgramException.class,
                e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void droppedConnectionMidStreamFailsRetryably() {
        // the JDK client does not always see an abrupt TCP close at once: then the Finalize deadline fires
        assertFaultFails(ListenFault.DROP, true, "lost the connection|stalled");
    }

    @Test
    void malformedFrameFailsRetryably() {
        assertFaultFails(ListenFault.MALFORMED, true, "malformed");
    }

    @Test
    void undecodableAudioCloseIsNotRetryable() {
        assertFaultFails(ListenFault.DATA_ERROR, false, "DATA-0000");
    }

    private void assertFaultFails(ListenFault fault, boolean retryable, String messagePattern) {
        try (var server = fake().listenFault(fault).start();
                var events = StreamRecorder.start(client(server).finalizeTimeout(Duration.ofMillis(1000)).build()
                        .open(REQUEST))) {
            SttStream stream = (SttStream) events.stream();
            send(stream, TestAudio.voiced(Duration.ofMillis(1000), 16000));
            stream.finalizeTurn();
            Throwable error = events.awaitFailure(WAIT);
            assertThat(error).isInstanceOf(DeepgramException.class).hasMessageFindingMatch(messagePattern);
            assertThat(((ParleyException) error).retryable()).isEqualTo(retryable);
            if (fault != ListenFault.DROP) { // an abrupt TCP reset may discard a frame the client had not read yet
                assertThat(events.items(SttEvent.Interim.class)).as("events before the fault").isNotEmpty();
            }
            assertThat(events.items(SttEvent.Final.class)).as("finals after the fault").isEmpty();
            stream.send(TestAudio.silence(Duration.ofMillis(20), 16000).getFirst()); // ignored, no throw
        }
    }

    @Test
    void stallAfterFinalizeIsDetectedBeforeTheStallEnds() {
        try (var server = fake().listenFault(ListenFault.STALL).stallFor(Duration.ofSeconds(5)).start();
                var events = StreamRecorder.start(client(server).finalizeTimeout(Duration.ofMillis(700)).build()
                        .open(REQUEST))) {
            SttStream stream = (SttStream) events.stream();
            send(stream, TestAudio.utterance(Duration.ofMillis(1000), Duration.ofMillis(100), 16000));
            long t0 = System.nanoTime();
            stream.finalizeTurn();
            Throwable error = events.awaitFailure(WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(error).isInstanceOf(DeepgramException.class).hasMessageContaining("stalled")
                    .hasMessageContaining("Finalize");
            assertThat(((ParleyException) error).retryable()).isTrue();
            assertThat(took).isBetween(Duration.ofMillis(650), Duration.ofSeconds(3));
        }
    }

    @Test
    void silentSocketWhileAudioFlowsIsAStall() {
        try (var server = fake().listenFault(ListenFault.STALL).stallFor(Duration.ofSeconds(5)).start();
                var events = StreamRecorder.start(client(server).responseTimeout(Duration.ofMillis(800)).build()
                        .open(REQUEST))) {
            SttStream stream = (SttStream) events.stream();
            send(stream, TestAudio.voiced(Duration.ofMillis(600), 16000)); // first interim, then the stall
            long t0 = System.nanoTime();
            // keep talking in real time (20 ms frames) until the client gives up on the silent socket
            List<AudioFrame> more = TestAudio.voiced(Duration.ofSeconds(4), 16000);
            for (AudioFrame f : more) {
                if (events.ended()) {
                    break;
                }
                stream.send(f);
                java.util.concurrent.locks.LockSupport.parkNanos(TestAudio.FRAME.toNanos());
            }
            Throwable error = events.awaitFailure(WAIT);
            assertThat(error).hasMessageContaining("no message for 800 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void closeWhileResultsAreArrivingUnblocksAndClosesTheSocket() {
        try (var server = fake().start()) {
            SttStream stream = client(server).build().open(REQUEST);
            var events = StreamRecorder.start(stream);
            send(stream, TestAudio.voiced(Duration.ofMillis(1200), 16000));
            events.awaitItem(SttEvent.Interim.class, WAIT);
            long t0 = System.nanoTime();
            stream.close();
            events.awaitDone(Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(events.failure()).isEmpty();
            server.listens().getFirst().awaitClosed(WAIT);
            assertThat(stream.next()).isEmpty();
        }
    }

    @Test
    void neverSendsAnEmptyFrame() {
        try (var server = fake().start(); var stream = client(server).build().open(REQUEST)) {
            stream.send(new AudioFrame(new short[0], 16000));
            send(stream, TestAudio.silence(Duration.ofMillis(100), 16000));
            stream.finish();
            var events = StreamRecorder.start(stream);
            events.awaitEnd(WAIT);
            RecordedListen rec = server.listens().getFirst();
            rec.awaitClosed(WAIT);
            assertThat(rec.emptyFrames()).isZero();
            assertThat(rec.audioFrames()).isEqualTo(5);
            assertThat(rec.count("CloseStream")).isEqualTo(1);
            assertThat(rec.closeCode()).hasValue(1000);
        }
    }

    @Test
    void environmentSuppliesKeyAndUrl() {
        try (var server = fake().start()) {
            var stt = DeepgramStt.fromEnvironment(Map.of("DEEPGRAM_API_KEY", KEY, "DEEPGRAM_BASE_URL",
                    server.baseUrl())).build();
            stt.open(REQUEST).close();
            assertThat(server.awaitListen(0, WAIT).authorization()).isEqualTo("Token " + KEY);
        }
        assertThatThrownBy(() -> DeepgramStt.fromEnvironment(Map.of()).build())
                .isInstanceOf(ParleyException.class).hasMessageContaining("DEEPGRAM_API_KEY");
    }
}
