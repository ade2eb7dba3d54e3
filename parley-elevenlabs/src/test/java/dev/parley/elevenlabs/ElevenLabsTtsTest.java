package dev.parley.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.fakes.elevenlabs.ElevenLabsFault;
import dev.parley.testkit.fakes.elevenlabs.FakeElevenLabsServer;
import dev.parley.testkit.fakes.elevenlabs.RecordedStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ElevenLabs specifics against the fake: BOS, alignment words, flush accounting, keep-alive, failures. */
class ElevenLabsTtsTest {
    private static final String KEY = "el-test-key";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private FakeElevenLabsServer server(UnaryOperator<FakeElevenLabsServer.Builder> config) {
        var s = config.apply(FakeElevenLabsServer.builder().apiKey(KEY)).start();
        closeables.add(s);
        return s;
    }

    private ElevenLabsTts tts(FakeElevenLabsServer server, UnaryOperator<ElevenLabsTts.Builder> config) {
        var t = config.apply(ElevenLabsTts.builder().baseUrl(server.baseUrl()).apiKey(KEY).voice("voice-1")).build();
        closeables.add(t);
        return t;
    }

    private static TtsRequest request(String callId, int rate) {
        return new TtsRequest(callId, rate, "en-US", "");
    }

    private static Duration audio(List<TtsEvent> events) {
        return events.stream().filter(TtsEvent.Audio.class::isInstance)
                .map(e -> ((TtsEvent.Audio) e).frame().duration()).reduce(Duration.ZERO, Duration::plus);
    }

    private static List<String> norm(String text) {
        return List.of(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]+", " ").strip().split("\\s+"));
    }

    @Test
    void continuationsFormOneStreamWithBosSpacesAndAlignedWords() {
        var server = server(b -> b);
        var tts = tts(server, b -> b.spare(false));
        TtsStream stream = tts.open(request("call-el", 16000));
        String[] pieces = {"Sure,", "I can book that", "for seven tonight."};
        try (var events = StreamRecorder.start(stream)) {
            for (String p : pieces) {
                stream.send(p);
            }
            stream.flush();
            stream.finish();
            List<TtsEvent> all = events.awaitEnd(WAIT);
            RecordedStream rec = server.awaitStream(0, WAIT);
            assertThat(rec.apiKeyHeader()).isEqualTo(KEY);
            assertThat(rec.voiceId()).isEqualTo("voice-1");
            assertThat(rec.param("output_format")).contains("pcm_16000");
            assertThat(rec.param("model_id")).contains("eleven_flash_v2_5");
            assertThat(rec.messages().getFirst()).contains("\"text\":\" \"").contains("voice_settings")
                    .contains("chunk_length_schedule");
            assertThat(rec.texts().subList(0, 3)).allSatisfy(t -> assertThat(t).endsWith(" "));
            assertThat(rec.texts().getLast()).isEmpty();
            assertThat(rec.warnings()).isEmpty();
            assertThat(rec.flushes()).isEqualTo(1);
            assertThat(all.stream().filter(TtsEvent.Flushed.class::isInstance)).hasSize(1);

            List<WordTiming> words = events.items(TtsEvent.Words.class).stream().flatMap(w -> w.words().stream())
                    .toList();
            assertThat(words.stream().map(w -> norm(w.word()).getFirst()).toList())
                    .isEqualTo(norm(String.join(" ", pieces)));
            for (int i = 1; i < words.size(); i++) {
                assertThat(words.get(i).start()).isGreaterThanOrEqualTo(words.get(i - 1).end());
            }
            assertThat(words.getLast().end()).isLessThanOrEqualTo(audio(all).plusMillis(5));
            assertThat(audio(all).toMillis()).isBetween(2000L, 2700L);
            rec.awaitClosed(WAIT);
            assertThat(rec.closeStatus()).hasValue(1000);
        }
    }

    @Test
    void withoutAlignmentAFlushEndsAfterQuiet() {
        var server = server(b -> b.alignment(false).finalNullOnAudio(false));
        var tts = tts(server, b -> b.spare(false).flushQuiet(Duration.ofMillis(300)));
        TtsStream stream = tts.open(request("call-quiet", 16000));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("Hello there.");
            stream.flush();
            events.awaitItem(TtsEvent.Flushed.class, WAIT);
            assertThat(audio(events.items()).toMillis()).isBetween(600L, 800L);
            stream.finish();
            events.awaitEnd(WAIT);
        }
    }

    @Test
    void ulawAt8kIsDecodedToPcm() {
        var server = server(b -> b);
        var tts = tts(server, b -> b.spare(false).ulaw8k(true));
        TtsStream stream = tts.open(request("call-ulaw", 8000));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("Hello there.");
            stream.finish();
            List<TtsEvent> all = events.awaitEnd(WAIT);
            assertThat(server.awaitStream(0, WAIT).param("output_format")).contains("ulaw_8000");
            assertThat(events.items(TtsEvent.Audio.class)).allSatisfy(a -> {
                assertThat(a.frame().sampleRate()).isEqualTo(8000);
                assertThat(a.frame().levelDbfs()).isGreaterThan(-40);
            });
            assertThat(audio(all).toMillis()).isBetween(650L, 800L);
        }
    }

    @Test
    void closeWhileAudioArrivesClosesTheSocketAndDeliversNothingMore() {
        var server = server(b -> b);
        var tts = tts(server, b -> b.spare(false));
        TtsStream stream = tts.open(request("call-cancel", 16000));
        var events = StreamRecorder.start(stream);
        stream.send("Thank you for calling. Today we have large pepperoni pizzas, garlic bread and cold drinks.");
        stream.flush();
        events.awaitItem(TtsEvent.Audio.class, WAIT);
        stream.close();
        int seen = events.items().size();
        RecordedStream rec = server.awaitStream(0, WAIT);
        rec.awaitClosed(WAIT);
        assertThat(rec.closedByClientEarly()).isTrue();
        assertThat(stream.next()).isEmpty();
        assertThat(events.items()).hasSize(seen);
    }

    @Test
    void spareSocketServesTheNextStream() {
        var server = server(b -> b);
        var tts = tts(server, b -> b);
        TtsStream first = tts.open(request("call-spare", 16000));
        server.awaitStream(1, WAIT); // the spare opened behind the first stream
        first.close();
        TtsStream second = tts.open(request("call-spare", 16000));
        try (var events = StreamRecorder.start(second)) {
            second.send("Hello there.");
            second.finish();
            assertThat(audio(events.awaitEnd(WAIT))).isPositive();
        }
        assertThat(server.streams().get(1).transcript()).contains("Hello there.");
    }

    @Test
    void keepAlivesHoldAnIdleSocketOpen() {
        var server = server(b -> b);
        var tts = tts(server, b -> b.spare(false).inactivityTimeout(Duration.ofSeconds(1))
                .keepAliveEvery(Duration.ofMillis(300)));
        TtsStream stream = tts.open(request("call-idle", 16000));
        RecordedStream rec = server.awaitStream(0, WAIT);
        rec.awaitKeepAlives(4, WAIT); // well past the 1 s inactivity timeout
        assertThat(rec.closeStatus()).isEmpty();
        try (var events = StreamRecorder.start(stream)) {
            stream.send("Still here.");
            stream.finish();
            assertThat(audio(events.awaitEnd(WAIT))).isPositive();
        }
    }

    @Test
    void inactivityCloseFailsTheStreamRetryably() {
        var server = server(b -> b);
        var tts = tts(server, b -> b.spare(false).inactivityTimeout(Duration.ofSeconds(1))
                .keepAliveEvery(Duration.ofSeconds(60)));
        TtsStream stream = tts.open(request("call-inactive", 16000));
        try (var events = StreamRecorder.start(stream)) {
            server.awaitStream(0, WAIT).awaitClosed(WAIT);
            assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(ElevenLabsException.class, e -> {
                assertThat(e.getMessage()).contains("inactivity").contains("1008");
                assertThat(e.retryable()).isTrue();
            });
        }
    }

    @Test
    void wrongKeyNamesTheVariable() {
        var server = server(b -> b);
        var tts = tts(server, b -> b.apiKey("wrong").spare(false));
        assertThatThrownBy(() -> tts.open(request("call-key", 16000)))
                .isInstanceOfSatisfying(ElevenLabsException.class, e -> {
                    assertThat(e.getMessage()).startsWith("ElevenLabs rejected the API key: set ELEVENLABS_API_KEY");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void tooManyRequestsIsRetryableWithRetryAfter() {
        var server = server(b -> b);
        server.rejectUpgrades(429, Duration.ofSeconds(3));
        var tts = tts(server, b -> b.spare(false));
        assertThatThrownBy(() -> tts.open(request("call-429", 16000)))
                .isInstanceOfSatisfying(ElevenLabsException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                });
    }

    @Test
    void stallMidAudioFailsWithinTheGapDeadlineAndIsReported() throws Exception {
        var server = server(b -> b.stallFor(Duration.ofSeconds(5)));
        server.fault(ElevenLabsFault.STALL);
        var tts = tts(server, b -> b.spare(false).maxAudioGap(Duration.ofMillis(600)));
        List<ProviderEvent> reported = new CopyOnWriteArrayList<>();
        try (AutoCloseable registration = ProviderEvents.register("call-stall", reported::add)) {
            assertThat(registration).isNotNull();
            TtsStream stream = tts.open(request("call-stall", 16000));
            try (var events = StreamRecorder.start(stream)) {
                stream.send("A sentence long enough to stall half way through its audio.");
                stream.flush();
                long t0 = System.nanoTime();
                assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(ElevenLabsException.class, e -> {
                    assertThat(e.getMessage()).contains("stalled");
                    assertThat(e.retryable()).isTrue();
                });
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
                assertThat(events.items(TtsEvent.Audio.class)).isNotEmpty();
            }
        }
        assertThat(reported).anySatisfy(e -> assertThat(e.kind()).isEqualTo("stall"));
    }

    @Test
    void droppedConnectionFailsRetryably() {
        var server = server(b -> b);
        server.fault(ElevenLabsFault.DROP);
        var tts = tts(server, b -> b.spare(false));
        TtsStream stream = tts.open(request("call-drop", 16000));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("A sentence long enough to be cut off half way through its audio.");
            stream.flush();
            assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(ElevenLabsException.class,
                    e -> assertThat(e.retryable()).isTrue());
        }
    }

    @Test
    void malformedFrameFailsTheStream() {
        var server = server(b -> b);
        server.fault(ElevenLabsFault.MALFORMED);
        var tts = tts(server, b -> b.spare(false));
        TtsStream stream = tts.open(request("call-bad", 16000));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("A sentence long enough to get a broken frame half way through.");
            stream.flush();
            assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(ElevenLabsException.class,
                    e -> assertThat(e.getMessage()).contains("malformed"));
        }
    }

    @Test
    void timeFromFakeFirstChunkToFirstAudioEvent() {
        var server = server(b -> b);
        var tts = tts(server, b -> b);
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            try (TtsStream stream = tts.open(request("call-ttfb", 16000))) {
                stream.send("Hello there, friend.");
                stream.flush();
                TtsEvent e;
                do {
                    e = stream.next().orElseThrow();
                } while (!(e instanceof TtsEvent.Audio));
                long got = System.nanoTime();
                long sent = server.streams().stream().filter(r -> r.firstChunkSentAt().isPresent())
                        .map(r -> r.firstChunkSentAt().orElseThrow()).max(Long::compare).orElseThrow();
                micros.add((got - sent) / 1000);
            }
        }
        List<Long> sorted = micros.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        System.out.printf("ElevenLabs fake first chunk -> first TtsEvent.Audio: p50 %d us, max %d us%n", p50,
                sorted.getLast());
        assertThat(p50).isLessThan(100_000);
    }
}
