package dev.parley.cartesia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.fakes.cartesia.CartesiaFault;
import dev.parley.testkit.fakes.cartesia.FakeCartesiaServer;
import dev.parley.testkit.fakes.cartesia.RecordedConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cartesia specifics against the fake: continuations, word timings, sharing, cancel, failures. */
class CartesiaTtsTest {
    private static final String KEY = "ct-test-key";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private FakeCartesiaServer server;
    private final List<CartesiaTts> providers = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakeCartesiaServer.builder().apiKey(KEY).stallFor(Duration.ofSeconds(5)).start();
    }

    @AfterEach
    void stop() {
        providers.forEach(CartesiaTts::close);
        server.close();
    }

    private CartesiaTts.Builder builder() {
        return CartesiaTts.builder().baseUrl(server.baseUrl()).apiKey(KEY).voice("voice-1");
    }

    private CartesiaTts tts(CartesiaTts.Builder b) {
        CartesiaTts t = b.build();
        providers.add(t);
        return t;
    }

    private static TtsRequest request(String callId) {
        return new TtsRequest(callId, 16000, "en-US", "");
    }

    private static Duration audio(List<TtsEvent> events) {
        return events.stream().filter(TtsEvent.Audio.class::isInstance)
                .map(e -> ((TtsEvent.Audio) e).frame().duration()).reduce(Duration.ZERO, Duration::plus);
    }

    private static List<String> norm(String text) {
        return List.of(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]+", " ").strip().split("\\s+"));
    }

    @Test
    void continuationsAreOneContextWithHeadersAndTimedWords() {
        CartesiaTts tts = tts(builder());
        TtsStream stream = tts.open(request("call-cont"));
        String[] pieces = {"Sure,", "I can book that", "for seven tonight."};
        try (var events = StreamRecorder.start(stream)) {
            for (String p : pieces) {
                stream.send(p);
            }
            stream.flush();
            stream.finish();
            List<TtsEvent> all = events.awaitEnd(WAIT);
            RecordedConnection c = server.awaitConnection(0, WAIT);
            assertThat(c.headers()).containsEntry("X-API-Key", KEY).containsKey("Cartesia-Version");
            assertThat(c.contexts()).hasSize(1);
            String ctx = c.contexts().getFirst();
            assertThat(c.transcript(ctx)).isEqualTo("Sure, I can book that for seven tonight.");
            assertThat(c.inputs(ctx)).allSatisfy(i -> assertThat(i.contextId()).isEqualTo(ctx));
            assertThat(c.inputs(ctx).subList(0, 3)).allSatisfy(i -> assertThat(i.more()).isTrue());
            assertThat(c.inputs(ctx).getLast().more()).isFalse();
            assertThat(all.stream().filter(TtsEvent.Flushed.class::isInstance)).hasSize(1);

            List<WordTiming> words = events.items(TtsEvent.Words.class).stream().flatMap(w -> w.words().stream())
                    .toList();
            assertThat(words.stream().map(w -> norm(w.word()).getFirst()).toList())
                    .isEqualTo(norm(String.join(" ", pieces)));
            for (int i = 1; i < words.size(); i++) {
                assertThat(words.get(i).start()).isGreaterThanOrEqualTo(words.get(i - 1).end());
            }
            assertThat(words.getLast().end()).isLessThanOrEqualTo(audio(all));
            // one utterance: about 60 ms per character of the joined text
            assertThat(audio(all).toMillis()).isBetween(2000L, 2700L);
            assertThat(events.items(TtsEvent.Audio.class))
                    .allSatisfy(a -> assertThat(a.frame().duration()).isLessThanOrEqualTo(Duration.ofMillis(20)));
        }
    }

    @Test
    void streamsShareOneSocketAndAreRoutedByContext() {
        CartesiaTts tts = tts(builder());
        tts.warmUp();
        TtsStream a = tts.open(request("call-a"));
        TtsStream b = tts.open(request("call-b"));
        try (var ea = StreamRecorder.start(a); var eb = StreamRecorder.start(b)) {
            a.send("Short one.");
            b.send("This one is a good deal longer than the other.");
            a.flush();
            b.flush();
            a.finish();
            b.finish();
            Duration da = audio(ea.awaitEnd(WAIT));
            Duration db = audio(eb.awaitEnd(WAIT));
            assertThat(da.toMillis()).isBetween(500L, 700L);
            assertThat(db.toMillis()).isBetween(2600L, 3000L);
        }
        assertThat(server.connections()).hasSize(1);
        assertThat(server.connections().getFirst().contexts()).hasSize(2);
        assertThat(tts.connects()).isEqualTo(1);
    }

    @Test
    void closeWhileAudioArrivesCancelsTheContextAndDiscardsTheRest() {
        CartesiaTts tts = tts(builder());
        CartesiaTtsStream stream = (CartesiaTtsStream) tts.open(request("call-cancel"));
        var events = StreamRecorder.start(stream);
        stream.send("Thank you for calling. Today we have large pepperoni pizzas, garlic bread and cold drinks.");
        stream.flush();
        events.awaitItem(TtsEvent.Audio.class, WAIT);
        stream.close();
        int seen = events.items().size();
        RecordedConnection c = server.awaitConnection(0, WAIT);
        c.awaitCancel(stream.contextId(), WAIT);
        assertThat(stream.next()).isEmpty();
        assertThat(events.items()).hasSize(seen);
        assertThat(c.chunksAfterCancel(stream.contextId())).isZero();

        // the shared socket carries on: the next stream hears only its own audio
        TtsStream next = tts.open(request("call-cancel"));
        try (var ev = StreamRecorder.start(next)) {
            next.send("Hello there.");
            next.finish();
            assertThat(audio(ev.awaitEnd(WAIT)).toMillis()).isBetween(650L, 800L);
        }
        assertThat(tts.connects()).isEqualTo(1);
    }

    @Test
    void wrongKeyNamesTheVariable() {
        CartesiaTts tts = tts(builder().apiKey("wrong").connectAtBuild(false));
        assertThatThrownBy(tts::warmUp).isInstanceOfSatisfying(CartesiaException.class, e -> {
            assertThat(e.getMessage()).startsWith("Cartesia rejected the API key: set CARTESIA_API_KEY");
            assertThat(e.retryable()).isFalse();
        });
    }

    @Test
    void tooManyRequestsIsRetryableWithRetryAfter() {
        server.rejectUpgrades(429, Duration.ofSeconds(7));
        CartesiaTts tts = tts(builder().connectAtBuild(false));
        assertThatThrownBy(() -> tts.open(request("call-429"))).isInstanceOfSatisfying(CartesiaException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(e.getMessage()).contains("429");
        });
        server.acceptUpgrades();
        tts.warmUp();
        assertThat(tts.connects()).isEqualTo(1);
    }

    @Test
    void stallMidAudioFailsWithinTheGapDeadlineAndIsReported() throws Exception {
        server.fault(CartesiaFault.STALL);
        List<ProviderEvent> reported = new CopyOnWriteArrayList<>();
        CartesiaTts tts = tts(builder().maxAudioGap(Duration.ofMillis(600)));
        try (AutoCloseable reg = ProviderEvents.register("call-stall", reported::add)) {
            assertThat(reg).isNotNull();
            TtsStream stream = tts.open(request("call-stall"));
            try (var events = StreamRecorder.start(stream)) {
                stream.send("A sentence long enough to stall half way through its audio.");
                stream.flush();
                long t0 = System.nanoTime();
                Throwable failure = events.awaitFailure(WAIT);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
                assertThat(failure).isInstanceOfSatisfying(CartesiaException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("stalled");
                });
                assertThat(events.items(TtsEvent.Audio.class)).isNotEmpty();
            }
        }
        assertThat(reported).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("stall");
            assertThat(e.provider()).isEqualTo("cartesia");
        });
    }

    @Test
    void droppedConnectionFailsTheStreamRetryablyAndReconnects() {
        server.fault(CartesiaFault.DROP);
        CartesiaTts tts = tts(builder());
        TtsStream stream = tts.open(request("call-drop"));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("A sentence long enough to be cut off half way through its audio.");
            stream.flush();
            assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(CartesiaException.class,
                    e -> assertThat(e.retryable()).isTrue());
        }
        TtsStream again = tts.open(request("call-drop"));
        try (var events = StreamRecorder.start(again)) {
            again.send("Hello there.");
            again.finish();
            assertThat(audio(events.awaitEnd(WAIT))).isPositive();
        }
        assertThat(tts.connects()).isEqualTo(2);
    }

    @Test
    void malformedFrameFailsTheStream() {
        server.fault(CartesiaFault.MALFORMED);
        CartesiaTts tts = tts(builder());
        TtsStream stream = tts.open(request("call-bad"));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("A sentence long enough to get a broken frame half way through.");
            stream.flush();
            assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(CartesiaException.class, e -> {
                assertThat(e.getMessage()).contains("malformed");
                assertThat(e.retryable()).isTrue();
            });
        }
    }

    @Test
    void errorMessageForTheContextFailsTheStream() {
        CartesiaTts tts = tts(builder().model("no-such-model"));
        TtsStream stream = tts.open(request("call-model"));
        try (var events = StreamRecorder.start(stream)) {
            stream.send("Hello there.");
            stream.flush();
            assertThat(events.awaitFailure(WAIT)).isInstanceOfSatisfying(CartesiaException.class, e -> {
                assertThat(e.getMessage()).contains("model_not_found");
                assertThat(e.retryable()).isFalse();
            });
        }
    }

    @Test
    void timeFromFakeFirstChunkToFirstAudioEvent() {
        CartesiaTts tts = tts(builder());
        tts.warmUp();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            CartesiaTtsStream stream = (CartesiaTtsStream) tts.open(request("call-ttfb"));
            try (stream) {
                stream.send("Hello there, friend.");
                stream.flush();
                TtsEvent e;
                do {
                    e = stream.next().orElseThrow();
                } while (!(e instanceof TtsEvent.Audio));
                long got = System.nanoTime();
                long sent = server.connections().getFirst().firstChunkSentAt(stream.contextId()).orElseThrow();
                micros.add((got - sent) / 1000);
            }
        }
        List<Long> sorted = micros.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        System.out.printf("Cartesia fake first chunk -> first TtsEvent.Audio: p50 %d us, max %d us%n", p50,
                sorted.getLast());
        assertThat(p50).isLessThan(100_000);
    }
}
