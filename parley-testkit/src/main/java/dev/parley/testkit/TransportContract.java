package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.CallTransport;
import dev.parley.spi.TransportEvent;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CallTransport} must show, driven from the far end (a fake Twilio, a
 * loopback peer, or the test side of {@link InMemoryTransport}).
 */
public abstract class TransportContract {
    /** The caller's end of a connected transport. */
    public interface FarEnd {
        /** Sends caller audio (PCM16 at the transport's inbound rate; the far end encodes it as its wire does). */
        void sendAudio(AudioFrame frame);

        void pressKey(String digit);

        /** The caller hangs up (Twilio: a {@code stop} message and the socket closes). */
        void hangUp();

        /** How many times faster than real time the far end plays agent audio. */
        default double playbackSpeed() {
            return 1.0;
        }
    }

    /** A connected transport and its far end. */
    public record Connection(CallTransport transport, FarEnd farEnd) {}

    private @Nullable Connection connection;

    /** Connects a fresh transport to its far end (called once per test). */
    protected abstract Connection connect() throws Exception;

    protected Duration timeout() {
        return Duration.ofSeconds(5);
    }

    private Connection conn() throws Exception {
        Connection c = connection;
        if (c == null) {
            c = connect();
            connection = c;
        }
        return c;
    }

    @AfterEach
    void closeTransport() {
        Connection c = connection;
        if (c != null) {
            c.transport().close();
        }
    }

    @Test
    void callerAudioArrivesAsMediaInOrder() throws Exception {
        var c = conn();
        int rate = c.transport().inboundFormat().sampleRate();
        List<AudioFrame> sent = TestAudio.voiced(Duration.ofMillis(200), rate);
        try (var events = StreamRecorder.start(c.transport())) {
            sent.forEach(c.farEnd()::sendAudio);
            var media = events.awaitItems(TransportEvent.Media.class, sent.size(), timeout());
            long samples = media.stream().mapToLong(m -> m.frame().length()).sum();
            assertThat(samples).isEqualTo(sent.stream().mapToLong(AudioFrame::length).sum());
            assertThat(media).allSatisfy(m -> {
                assertThat(m.frame().sampleRate()).isEqualTo(rate);
                assertThat(TestAudio.isVoiced(m.frame())).as("frame level %s", m.frame().levelDbfs()).isTrue();
            });
        }
    }

    @Test
    void keypressArrivesAsDtmf() throws Exception {
        var c = conn();
        try (var events = StreamRecorder.start(c.transport())) {
            c.farEnd().pressKey("5");
            c.farEnd().pressKey("#");
            var keys = events.awaitItems(TransportEvent.Dtmf.class, 2, timeout());
            assertThat(keys).extracting(TransportEvent.Dtmf::digit).containsExactly("5", "#");
        }
    }

    @Test
    void markEchoesOnlyAfterItsAudioHasPlayed() throws Exception {
        var c = conn();
        var sink = c.transport().sink();
        Duration audio = Duration.ofMillis(400);
        try (var events = StreamRecorder.start(c.transport())) {
            long t0 = System.nanoTime();
            TestAudio.voiced(audio, sink.sampleRate()).forEach(sink::write);
            sink.mark("m1");
            events.awaitItem(new TransportEvent.MarkPlayed("m1")::equals, timeout().plus(audio));
            long elapsed = System.nanoTime() - t0;
            long playWall = (long) (audio.toNanos() / c.farEnd().playbackSpeed());
            assertThat(Duration.ofNanos(elapsed)).as("mark echo time").isGreaterThanOrEqualTo(
                    Duration.ofNanos(playWall * 8 / 10));
        }
    }

    @Test
    void markWithNothingQueuedEchoesPromptly() throws Exception {
        var c = conn();
        try (var events = StreamRecorder.start(c.transport())) {
            c.transport().sink().mark("idle");
            events.awaitItem(new TransportEvent.MarkPlayed("idle")::equals, timeout());
        }
    }

    @Test
    void clearEchoesPendingMarksAtOnce() throws Exception {
        var c = conn();
        var sink = c.transport().sink();
        // long enough that playing it would take at least 3 s of wall time at the far end's speed
        Duration half = Duration.ofMillis((long) (1500 * Math.max(1.0, c.farEnd().playbackSpeed())));
        try (var events = StreamRecorder.start(c.transport())) {
            TestAudio.voiced(half, sink.sampleRate()).forEach(sink::write);
            sink.mark("a");
            TestAudio.voiced(half, sink.sampleRate()).forEach(sink::write);
            sink.mark("b");
            long t0 = System.nanoTime();
            sink.clear();
            var marks = events.awaitItems(TransportEvent.MarkPlayed.class, 2, timeout());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("echo delay after clear")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(marks).extracting(TransportEvent.MarkPlayed::name).containsExactly("a", "b");
        }
    }

    @Test
    void hangUpFromTheFarEndEndsTheStream() throws Exception {
        var c = conn();
        try (var events = StreamRecorder.start(c.transport())) {
            c.farEnd().hangUp();
            List<TransportEvent> all = events.awaitEnd(timeout());
            assertThat(all).filteredOn(TransportEvent.HungUp.class::isInstance).hasSize(1);
            assertThat(all.getLast()).isInstanceOf(TransportEvent.HungUp.class);
        }
    }

    @Test
    void closeUnblocksAPendingNext() throws Exception {
        var c = conn();
        var events = StreamRecorder.start(c.transport());
        events.awaitReaderBlocked(timeout());
        long t0 = System.nanoTime();
        c.transport().close();
        events.awaitDone(ContractSupport.CLOSE_BOUND);
        assertThat(events.failure()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ContractSupport.CLOSE_BOUND);
    }

    @Test
    void closeIsIdempotentFromAnyThread() throws Exception {
        var c = conn();
        ContractSupport.closeFromManyThreads(c.transport());
        var events = StreamRecorder.start(c.transport());
        events.awaitDone(ContractSupport.CLOSE_BOUND);
        assertThat(events.failure()).isEmpty();
    }
}
