package dev.parley.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.audio.AudioFormat;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.fakes.deepgram.FakeDeepgramServer;
import dev.parley.testkit.fakes.deepgram.RecordedSpeak;
import dev.parley.testkit.fakes.deepgram.SpeakFault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DeepgramAuraTts against the fake: wire format, framing, flush limit, deadlines and failures. */
class DeepgramAuraTtsTest {
    static final String KEY = "dg-unit-key";
    static final Duration WAIT = Duration.ofSeconds(5);
    static final TtsRequest REQUEST = new TtsRequest("call-9", 16000, "en-US", "");

    static FakeDeepgramServer.Builder fake() {
        return FakeDeepgramServer.builder().apiKey(KEY);
    }

    static DeepgramAuraTts.Builder client(FakeDeepgramServer server) {
        return DeepgramAuraTts.builder().baseUrl(server.baseUrl()).apiKey(KEY);
    }

    @Test
    void speaksFlushesAndDeliversTwentyMillisecondFrames() {
        try (var server = fake().speechPerCharacter(Duration.ofMillis(50)).start();
                var events = StreamRecorder.start(client(server).build().open(REQUEST))) {
            TtsStream stream = (TtsStream) events.stream();
            stream.send("Your total is \"twelve\" dollars.");
            stream.flush();
            stream.finish();
            List<TtsEvent> all = events.awaitEnd(WAIT);
            RecordedSpeak rec = server.speaks().getFirst();
            assertThat(rec.authorization()).isEqualTo("Token " + KEY);
            assertThat(rec.query()).containsEntry("model", List.of("aura-2-thalia-en"))
                    .containsEntry("encoding", List.of("linear16")).containsEntry("sample_rate", List.of("16000"));
            assertThat(rec.spokenText()).isEqualTo("Your total is \"twelve\" dollars.");
            assertThat(rec.count("Flush")).isEqualTo(1);
            var frames = events.items(TtsEvent.Audio.class);
            assertThat(frames.subList(0, frames.size() - 1))
                    .allSatisfy(a -> assertThat(a.frame().length()).isEqualTo(320));
            long samples = frames.stream().mapToLong(a -> a.frame().length()).sum();
            assertThat(samples).isEqualTo(16000L * 31 * 50 / 1000); // 31 characters × 50 ms
            assertThat(all.getLast()).isEqualTo(new TtsEvent.Flushed());
            rec.awaitMessage("Close", 1, WAIT);
        }
    }

    @Test
    void theNextReplyUsesASocketConnectedAhead() {
        try (var server = fake().start()) {
            var tts = client(server).build();
            try (TtsStream first = tts.open(REQUEST)) {
                first.send("Hello.");
                first.flush();
            }
            server.awaitSpeak(1, WAIT); // the spare: connected before the next reply asks for it
            try (TtsStream second = tts.open(new TtsRequest("call-2", 16000, "en-US", ""))) {
                second.send("Second reply.");
                second.flush();
                RecordedSpeak spare = server.awaitSpeak(1, WAIT);
                spare.awaitMessage("Speak", 1, WAIT);
                assertThat(spare.spokenText()).isEqualTo("Second reply."); // no handshake on this reply's path
            }
        }
    }

    @Test
    void voiceSelectsTheModelAndMulawIsDecodedAt8k() {
        var request = new TtsRequest("call-10", 8000, "es", "aura-2-celeste-es");
        try (var server = fake().start();
                var events = StreamRecorder.start(client(server).encoding(AudioFormat.Encoding.MULAW).build()
                        .open(request))) {
            TtsStream stream = (TtsStream) events.stream();
            stream.send("Hola.");
            stream.finish();
            events.awaitEnd(WAIT);
            RecordedSpeak rec = server.speaks().getFirst();
            assertThat(rec.param("model")).contains("aura-2-celeste-es");
            assertThat(rec.param("encoding")).contains("mulaw");
            assertThat(rec.param("sample_rate")).contains("8000");
            var frames = events.items(TtsEvent.Audio.class);
            assertThat(frames).isNotEmpty().allSatisfy(a -> assertThat(a.frame().sampleRate()).isEqualTo(8000));
            assertThat(frames.getFirst().frame().levelDbfs()).as("decoded tone level").isBetween(-22.0, -18.0);
        }
    }

    @Test
    void unsupportedRateIsRefusedBeforeConnecting() {
        try (var server = fake().start()) {
            assertThatThrownBy(() -> client(server).build().open(new TtsRequest("c", 22050, "en-US", "")))
                    .isInstanceOf(ParleyException.class).hasMessageContaining("22050");
            assertThat(server.speaks()).isEmpty();
        }
    }

    @Test
    void flushLimitMergesFlushesButAnswersEachOne() {
        try (var server = fake().speechPerCharacter(Duration.ofMillis(10)).start();
                var events = StreamRecorder.start(client(server).flushLimit(2, Duration.ofMillis(1500)).build()
                        .open(REQUEST))) {
            TtsStream stream = (TtsStream) events.stream();
            for (int i = 0; i < 5; i++) {
                stream.send("Sentence number " + i + ". ");
                stream.flush();
            }
            events.awaitItems(TtsEvent.Flushed.class, 5, WAIT);
            RecordedSpeak rec = server.speaks().getFirst();
            List<RecordedSpeak.Message> flushes = rec.messages().stream().filter(m -> m.type().equals("Flush"))
                    .toList();
            assertThat(flushes).hasSize(3);
            assertThat(Duration.ofNanos(flushes.get(2).receivedAt() - flushes.get(0).receivedAt()))
                    .as("third Flush waits for the window").isGreaterThanOrEqualTo(Duration.ofMillis(1400));
            assertThat(rec.warnings()).isEmpty();
        }
    }

    @Test
    void closeMidAudioSendsClearAndClose() {
        try (var server = fake().speakPacing(1).start()) {
            TtsStream stream = client(server).build().open(REQUEST);
            var events = StreamRecorder.start(stream);
            stream.send("This sentence is long enough to still be playing when the caller barges in.");
            stream.flush();
            events.awaitItem(TtsEvent.Audio.class, WAIT);
            stream.close();
            events.awaitDone(Duration.ofSeconds(1));
            RecordedSpeak rec = server.speaks().getFirst();
            rec.awaitClosed(WAIT);
            assertThat(rec.messages()).extracting(RecordedSpeak.Message::type).containsSubsequence("Clear", "Close");
            assertThat(rec.flushedSent()).as("the cleared flush never completes").isZero();
        }
    }

    @Test
    void stallMidAudioIsDetectedByTheGapDeadline() {
        try (var server = fake().speakFault(SpeakFault.STALL).stallFor(Duration.ofSeconds(5)).start();
                var events = StreamRecorder.start(client(server).maxAudioGap(Duration.ofMillis(500)).build()
                        .open(REQUEST))) {
            TtsStream stream = (TtsStream) events.stream();
            stream.send("Thank you for calling, what would you like today?");
            stream.flush();
            events.awaitItem(TtsEvent.Audio.class, WAIT);
            long t0 = System.nanoTime();
            Throwable error = events.awaitFailure(WAIT);
            assertThat(error).isInstanceOf(DeepgramException.class).hasMessageContaining("no audio for 500 ms");
            assertThat(((ParleyException) error).retryable()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void slowFirstByteIsAStall() {
        try (var server = fake().timeToFirstByte(Duration.ofSeconds(3)).start();
                var events = StreamRecorder.start(client(server).firstByteTimeout(Duration.ofMillis(400)).build()
                        .open(REQUEST))) {
            TtsStream stream = (TtsStream) events.stream();
            stream.send("Hello.");
            stream.flush();
            Throwable error = events.awaitFailure(WAIT);
            assertThat(error).hasMessageContaining("no audio within 400 ms of Flush");
            assertThat(events.items()).isEmpty();
        }
    }

    @Test
    void droppedConnectionMidAudioFailsRetryably() {
        // the JDK client does not always see an abrupt TCP close at once: then the gap deadline fires
        assertFaultFails(SpeakFault.DROP, "lost the connection|stalled");
    }

    @Test
    void malformedFrameFails() {
        assertFaultFails(SpeakFault.MALFORMED, "malformed");
    }

    private void assertFaultFails(SpeakFault fault, String messagePattern) {
        try (var server = fake().speakFault(fault).start();
                var events = StreamRecorder.start(client(server).maxAudioGap(Duration.ofMillis(600)).build()
                        .open(REQUEST))) {
            TtsStream stream = (TtsStream) events.stream();
            stream.send("Thank you for calling, what would you like today?");
            stream.flush();
            Throwable error = events.awaitFailure(WAIT);
            assertThat(error).isInstanceOf(DeepgramException.class).hasMessageFindingMatch(messagePattern);
            assertThat(((ParleyException) error).retryable()).isTrue();
            assertThat(events.items(TtsEvent.Audio.class)).isNotEmpty();
            assertThat(events.items(TtsEvent.Flushed.class)).isEmpty();
        }
    }

    @Test
    void badKeyAndTooManyRequestsFailOpen() {
        try (var server = fake().start()) {
            var wrong = DeepgramAuraTts.builder().baseUrl(server.baseUrl()).apiKey("nope").build();
            assertThatThrownBy(() -> wrong.open(REQUEST)).isInstanceOfSatisfying(DeepgramException.class, e -> {
                assertThat(e).hasMessageContaining("Deepgram rejected the API key: set DEEPGRAM_API_KEY");
                assertThat(e.retryable()).isFalse();
            });
            server.rejectUpgrades(429, Duration.ofSeconds(7));
            assertThatThrownBy(() -> client(server).build().open(REQUEST))
                    .isInstanceOfSatisfying(DeepgramException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    });
            server.rejectUpgrades(429, null);
            assertThatThrownBy(() -> client(server).build().open(REQUEST))
                    .isInstanceOfSatisfying(DeepgramException.class, e -> assertThat(e.retryAfter()).isEmpty());
        }
    }
}
