package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.audio.AudioFrame;
import dev.parley.audio.G711;
import dev.parley.spi.TransportEvent;
import dev.parley.testkit.StreamRecorder;
import dev.parley.testkit.TestAudio;
import dev.parley.twilio.TwilioMessage.Clear;
import dev.parley.twilio.TwilioMessage.OutboundMark;
import dev.parley.twilio.TwilioMessage.OutboundMedia;
import dev.parley.twilio.testing.FakeTwilioApi;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TwilioTransport against an in-memory Twilio peer: audio both ways, marks, clear, limits and call control. */
class TwilioTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final FakeTwilioPeer peer = new FakeTwilioPeer(50.0);
    private TwilioTransport transport;

    private TwilioTransport connect(TwilioTransport.Builder builder) {
        transport = builder.build();
        peer.attach(transport);
        return transport;
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void startGivesCallInfoWithoutTheTokenAndTellsTheListener() {
        var seen = new AtomicReference<TwilioMessage.Start>();
        var t = connect(TwilioTransport.builder(peer).onStart((tr, s) -> seen.set(s)));
        assertThatThrownBy(t::info).isInstanceOf(IllegalStateException.class);
        peer.start(Map.of("callToken", "secret", "from", "+15550001111", "to", "+15552223333", "tenant", "acme"));
        assertThat(seen.get().callSid()).isEqualTo(FakeTwilioPeer.CALL);
        assertThat(t.info().callId()).isEqualTo(FakeTwilioPeer.CALL);
        assertThat(t.info().from()).isEqualTo("+15550001111");
        assertThat(t.info().to()).isEqualTo("+15552223333");
        assertThat(t.info().parameters()).doesNotContainKey("callToken").containsEntry("tenant", "acme");
    }

    @Test
    void inboundMulawBecomesPcm8k() {
        var t = connect(TwilioTransport.builder(peer));
        peer.start(Map.of());
        AudioFrame frame = TestAudio.voiced(Duration.ofMillis(20), 8000).getFirst();
        try (var events = StreamRecorder.start(t)) {
            peer.sendAudio(frame);
            var media = events.awaitItem(TransportEvent.Media.class, WAIT);
            assertThat(media.frame().sampleRate()).isEqualTo(8000);
            assertThat(media.frame().samples()).containsExactly(G711.decodeMuLaw(TwilioAudio.toMulaw(frame)));
        }
    }

    @Test
    void outboundAudioAtAnyRateIsFramedAndTheMarkFollowsAllOfIt() throws Exception {
        var t = connect(TwilioTransport.builder(peer));
        peer.start(Map.of());
        // 250 ms at 16 kHz: 12 full 20 ms frames and a partial one that the mark must flush first
        for (AudioFrame f : TestAudio.voiced(Duration.ofMillis(250), 16000)) {
            t.sink().write(f);
        }
        t.sink().mark("m1");
        try (var events = StreamRecorder.start(t)) {
            events.awaitItem(new TransportEvent.MarkPlayed("m1")::equals, WAIT);
        }
        var all = peer.received();
        assertThat(all.getLast()).isEqualTo(new OutboundMark(FakeTwilioPeer.STREAM, "m1"));
        int bytes = peer.received(OutboundMedia.class).stream().mapToInt(m -> m.payload().length).sum();
        assertThat(bytes).isEqualTo(13 * TwilioAudio.FRAME_BYTES);
        assertThat(peer.received(OutboundMedia.class)).allSatisfy(m -> {
            assertThat(m.streamSid()).isEqualTo(FakeTwilioPeer.STREAM);
            assertThat(m.payload().length % TwilioAudio.FRAME_BYTES).isZero();
        });
    }

    @Test
    void clearDropsQueuedAudioSendsClearFirstAndKeepsQueuedMarks() throws Exception {
        var gate = new CountDownLatch(1);
        var lastMarkSent = new CountDownLatch(1);
        var sent = new CopyOnWriteArrayList<String>();
        TwilioSocket blocked = new TwilioSocket() {
            @Override
            public void sendText(String text) throws IOException {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                sent.add(text);
                if (text.contains("\"mark\"") && text.contains("\"b\"")) {
                    lastMarkSent.countDown();
                }
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        transport = TwilioTransport.builder(blocked).build();
        transport.onMessage(TwilioCodec.create().encode(new TwilioMessage.Start(1, FakeTwilioPeer.STREAM,
                FakeTwilioPeer.ACCOUNT, FakeTwilioPeer.CALL, List.of(TwilioMessage.Track.INBOUND), Map.of(),
                TwilioMessage.MediaFormat.MULAW_8K_MONO)));
        var sink = transport.sink();
        TestAudio.voiced(Duration.ofMillis(400), 8000).forEach(sink::write);
        sink.mark("a");
        TestAudio.voiced(Duration.ofMillis(400), 8000).forEach(sink::write);
        sink.mark("b");
        sink.clear();
        gate.countDown();
        assertThat(lastMarkSent.await(5, TimeUnit.SECONDS)).isTrue();
        var codec = TwilioCodec.create();
        var decoded = sent.stream().map(codec::decodeOutbound).toList();
        // at most the one media frame the sender had already taken before clear went out
        var afterFirst = decoded.stream().dropWhile(m -> m instanceof OutboundMedia).toList();
        assertThat(decoded.size() - afterFirst.size()).isLessThanOrEqualTo(1);
        assertThat(afterFirst).containsExactly(new Clear(FakeTwilioPeer.STREAM),
                new OutboundMark(FakeTwilioPeer.STREAM, "a"), new OutboundMark(FakeTwilioPeer.STREAM, "b"));
    }

    @Test
    void dtmfMarksAndStopBecomeEventsAndTheStreamEnds() {
        var t = connect(TwilioTransport.builder(peer));
        peer.start(Map.of());
        try (var events = StreamRecorder.start(t)) {
            peer.pressKey("7");
            peer.send(seq -> new TwilioMessage.Mark(seq, FakeTwilioPeer.STREAM, "x"));
            peer.hangUp();
            List<TransportEvent> all = events.awaitEnd(WAIT);
            assertThat(all).containsExactly(new TransportEvent.Dtmf("7"), new TransportEvent.MarkPlayed("x"),
                    new TransportEvent.HungUp("caller hung up"));
        }
        assertThat(t.next()).isEmpty();
        assertThat(t.whenClosed().toCompletableFuture().join()).isEqualTo("caller hung up");
    }

    @Test
    void malformedMessagesAreCountedAndTooManyCloseTheConnection() {
        var t = connect(TwilioTransport.builder(peer).maxMalformed(20));
        peer.start(Map.of());
        for (int i = 0; i < 20; i++) {
            peer.sendRaw(i % 2 == 0 ? "{not json" : "{\"event\":\"media\",\"streamSid\":\"x\"}");
        }
        assertThat(t.isOpen()).isTrue();
        assertThat(t.stats().malformed()).isEqualTo(20);
        peer.sendAudio(TestAudio.voiced(Duration.ofMillis(20), 8000).getFirst());
        assertThat(t.isOpen()).as("valid audio still flows").isTrue();
        peer.sendRaw("[]");
        assertThat(t.isOpen()).isFalse();
        assertThat(peer.closeCode()).isEqualTo(TwilioTransport.CLOSE_POLICY);
        try (var events = StreamRecorder.start(t)) {
            assertThat(events.awaitEnd(WAIT).getLast()).isInstanceOf(TransportEvent.HungUp.class);
        }
    }

    @Test
    void aWrongStreamIdClosesAtOnce() {
        var t = connect(TwilioTransport.builder(peer));
        peer.start(Map.of());
        peer.sendRaw(TwilioCodec.create().encode(new TwilioMessage.Dtmf(99, "MZ-other", "inbound_track", "1")));
        assertThat(t.isOpen()).isFalse();
        assertThat(peer.closeCode()).isEqualTo(TwilioTransport.CLOSE_POLICY);
        assertThat(t.whenClosed().toCompletableFuture().join()).contains("WRONG_STREAM_ID");
    }

    @Test
    void aStreamThatNeverStartsIsClosed() {
        var t = connect(TwilioTransport.builder(peer));
        for (int i = 0; i < 5; i++) {
            peer.sendRaw("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        }
        assertThat(t.isOpen()).isFalse();
        assertThat(t.whenClosed().toCompletableFuture().join()).contains("no start message");
    }

    @Test
    void aMessageFloodClosesTheConnection() {
        var fixed = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
        var t = connect(TwilioTransport.builder(peer).clock(fixed).maxMessagesPerSecond(100));
        peer.start(Map.of());
        AudioFrame frame = TestAudio.silence(Duration.ofMillis(20), 8000).getFirst();
        for (int i = 0; i < 98; i++) { // connected + start + 98 = the burst of 100
            peer.sendAudio(frame);
        }
        assertThat(t.isOpen()).isTrue();
        peer.sendAudio(frame);
        assertThat(t.isOpen()).isFalse();
        assertThat(t.whenClosed().toCompletableFuture().join()).contains("messages per second");
    }

    @Test
    void aClientTooSlowForLongerThanTheTimeoutEndsTheCall() throws Exception {
        var now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
        var stuck = new CountDownLatch(1);
        var closedWith = new AtomicReference<Integer>();
        TwilioSocket slow = new TwilioSocket() {
            @Override
            public void sendText(String text) throws IOException {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public void close(int code, String reason) {
                closedWith.set(code);
                stuck.countDown();
            }
        };
        transport = TwilioTransport.builder(slow).clock(now::get).sendQueueCapacity(4)
                .slowClientTimeout(Duration.ofSeconds(5)).build();
        transport.onMessage(TwilioCodec.create().encode(new TwilioMessage.Start(1, FakeTwilioPeer.STREAM,
                FakeTwilioPeer.ACCOUNT, FakeTwilioPeer.CALL, List.of(TwilioMessage.Track.INBOUND), Map.of(),
                TwilioMessage.MediaFormat.MULAW_8K_MONO)));
        var frames = TestAudio.voiced(Duration.ofMillis(400), 8000);
        long t0 = System.nanoTime();
        frames.forEach(transport.sink()::write); // never blocks although nothing is sent
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(transport.stats().droppedMedia()).isGreaterThan(0);
        assertThat(transport.isOpen()).isTrue();
        now.set(now.get().plusSeconds(6));
        transport.sink().write(frames.getFirst());
        assertThat(transport.isOpen()).isFalse();
        assertThat(closedWith.get()).isEqualTo(TwilioTransport.CLOSE_TRY_LATER);
        try (var events = StreamRecorder.start(transport)) {
            assertThat(events.awaitEnd(WAIT).getLast()).isEqualTo(new TransportEvent.HungUp("client too slow"));
        }
    }

    @Test
    void aFailedSendEndsTheCall() {
        TwilioSocket broken = new TwilioSocket() {
            @Override
            public void sendText(String text) throws IOException {
                throw new IOException("broken pipe");
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        transport = TwilioTransport.builder(broken).build();
        transport.onMessage(TwilioCodec.create().encode(new TwilioMessage.Start(1, FakeTwilioPeer.STREAM,
                FakeTwilioPeer.ACCOUNT, FakeTwilioPeer.CALL, List.of(TwilioMessage.Track.INBOUND), Map.of(),
                TwilioMessage.MediaFormat.MULAW_8K_MONO)));
        transport.sink().mark("m");
        try (var events = StreamRecorder.start(transport)) {
            assertThat(events.awaitEnd(WAIT).getLast()).isEqualTo(new TransportEvent.HungUp("connection failed"));
        }
    }

    @Test
    void hangUpAndTransferUseTheRestApi() throws Exception {
        String token = "auth-token-for-tests";
        try (var api = FakeTwilioApi.start(FakeTwilioPeer.ACCOUNT, token);
             var rest = TwilioRestClient.builder().accountSid(FakeTwilioPeer.ACCOUNT).authToken(token)
                     .baseUrl(api.baseUrl()).timeout(Duration.ofSeconds(5)).build()) {
            api.addCall(FakeTwilioPeer.CALL);
            var t = connect(TwilioTransport.builder(peer).restClient(rest).transferNumber("+15552223333"));
            peer.start(Map.of());
            assertThat(t.transfer("caller asked for a human")).isTrue();
            assertThat(api.call(FakeTwilioPeer.CALL).orElseThrow().twiml()).contains("<Dial><Number>+15552223333</Number></Dial>");
            t.hangUp();
            assertThat(api.call(FakeTwilioPeer.CALL).orElseThrow().status()).isEqualTo("completed");
            assertThat(peer.isClosed()).isTrue();
            assertThat(peer.closeCode()).isEqualTo(TwilioTransport.CLOSE_NORMAL);
        }
    }

    @Test
    void transferWithoutANumberIsRefusedAndHangUpWithoutRestClosesTheStream() throws Exception {
        var t = connect(TwilioTransport.builder(peer));
        peer.start(Map.of());
        assertThat(t.transfer("no number")).isFalse();
        t.hangUp();
        assertThat(peer.isClosed()).isTrue();
        assertThat(t.whenClosed().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("agent hung up");
    }
}
