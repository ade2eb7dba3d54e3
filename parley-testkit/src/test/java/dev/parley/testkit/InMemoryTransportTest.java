package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.TransportEvent;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    @Test
    void logsSinkOperationsOnTheInjectedClock() {
        var clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(365));
        try (var call = InMemoryTransport.builder().clock(clock).speed(10).build()) {
            Instant before = clock.instant();
            var sink = call.sink();
            TestAudio.voiced(ms(100), 8000).forEach(sink::write);
            sink.mark("m");
            sink.clear();
            var log = call.sinkLog();
            assertThat(log).hasSize(7);
            assertThat(log.get(5)).isInstanceOf(SinkOp.Mark.class);
            assertThat(log.get(6)).isInstanceOf(SinkOp.Clear.class);
            assertThat(log).allSatisfy(op -> assertThat(op.at()).isBetween(before, clock.instant()));
            assertThat(call.farEnd().writtenDuration()).isEqualTo(ms(100));
        }
    }

    @Test
    void marksEchoAfterTheirAudioPlaysAtTheConfiguredSpeed() {
        try (var call = InMemoryTransport.builder().speed(10).build();
                var events = StreamRecorder.start(call)) {
            var sink = call.sink();
            TestAudio.voiced(ms(1000), 8000).forEach(sink::write);
            sink.mark("end");
            var write = call.farEnd().writes().getFirst();
            var echo = call.awaitMark("end", WAIT);
            assertThat(Duration.between(write.at(), echo.at())).isBetween(ms(95), ms(1000));
            assertThat(echo.byClear()).isFalse();
            assertThat(events.awaitItem(TransportEvent.MarkPlayed.class, WAIT).name()).isEqualTo("end");
            call.awaitPlaybackIdle(WAIT);
            assertThat(call.playedDuration()).isEqualTo(ms(1000));
            assertThat(call.unplayedDuration()).isZero();
        }
    }

    @Test
    void clearDropsUnplayedAudioAndReleasesMarks() {
        try (var call = InMemoryTransport.builder().speed(1).build()) {
            var sink = call.sink();
            TestAudio.voiced(ms(2000), 8000).forEach(sink::write);
            sink.mark("after-2s");
            call.silence(ms(100)); // the caller listens for 100 ms (paced)
            sink.clear();
            var clear = call.awaitClear(WAIT);
            assertThat(clear.dropped()).isBetween(ms(1000), ms(1900));
            assertThat(call.playedDuration()).isBetween(ms(100), ms(1000));
            assertThat(call.playedDuration().plus(clear.dropped())).isEqualTo(ms(2000));
            assertThat(call.markEchoes()).singleElement().extracting(MarkEcho::byClear).isEqualTo(true);
            assertThat(call.droppedDuration()).isEqualTo(clear.dropped());
        }
    }

    @Test
    void pacedCallerAudioArrivesInRealTime() {
        try (var call = InMemoryTransport.create(); var events = StreamRecorder.start(call)) {
            long t0 = System.nanoTime();
            call.speak(ms(200), ms(100));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(ms(290));
            var media = events.awaitItems(TransportEvent.Media.class, 15, WAIT);
            assertThat(media).hasSize(15);
            assertThat(media.subList(0, 10)).allMatch(m -> TestAudio.isVoiced(m.frame()));
            assertThat(media.subList(10, 15)).noneMatch(m -> TestAudio.isVoiced(m.frame()));
            assertThat(call.callerAudioSent()).isEqualTo(ms(300));
            assertThat(call.lastVoicedCallerAudioAt().orElseThrow()).isBefore(call.lastCallerAudioAt().orElseThrow());
        }
    }

    @Test
    void asyncSpeechLetsTheTestWatchTheAgentMeanwhile() throws Exception {
        try (var call = InMemoryTransport.builder().speed(20).build(); var events = StreamRecorder.start(call)) {
            var done = call.sendAudioPacedAsync(TestAudio.voiced(ms(1000), 8000));
            events.awaitItems(TransportEvent.Media.class, 50, WAIT);
            done.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done).isCompleted();
        }
    }

    @Test
    void callerHangUpEndsTheStreamAndStopsPlayback() {
        try (var call = InMemoryTransport.create(); var events = StreamRecorder.start(call)) {
            call.pressKey("1");
            call.hangUpFromCaller();
            call.sendAudio(TestAudio.voiced(ms(20), 8000));
            assertThat(events.awaitEnd(WAIT)).containsExactly(new TransportEvent.Dtmf("1"),
                    new TransportEvent.HungUp("caller hung up"));
            assertThat(call.callerHungUp()).isTrue();
            assertThatThrownBy(() -> call.pressKey("x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void agentHangUpAndTransferAreRecorded() {
        try (var call = InMemoryTransport.builder().transferSupported(false).build();
                var events = StreamRecorder.start(call)) {
            var sink = call.sink();
            assertThat(call.transfer("caller asked for a human")).isFalse();
            TestAudio.voiced(ms(1000), 8000).forEach(sink::write);
            call.hangUp();
            var hangUp = call.awaitAgentHangUp(WAIT);
            assertThat(hangUp.unplayed()).isGreaterThan(ms(500));
            assertThat(call.farEnd().transfers()).containsExactly("caller asked for a human");
            assertThat(events.awaitEnd(WAIT)).isEmpty();
            assertThat(call.agentHungUp()).isTrue();
        }
    }

    @Test
    void sinkRejectsAudioAtTheWrongRate() {
        try (var call = InMemoryTransport.builder().sinkSampleRate(16000).build()) {
            assertThat(call.sink().sampleRate()).isEqualTo(16000);
            assertThat(call.inboundFormat().sampleRate()).isEqualTo(8000);
            var wrong = TestAudio.voiced(ms(20), 8000).getFirst();
            assertThatThrownBy(() -> call.sink().write(wrong)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void awaitTimesOutWithTheLogInTheMessage() {
        try (var call = InMemoryTransport.create()) {
            call.sink().mark("x");
            assertThatThrownBy(() -> call.awaitClear(ms(50))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("mark x");
        }
    }

    @Test
    void playedTtsAudioDecodesToTheWordsTheCallerHeard() {
        String text = "Your pizza will be ready in twenty minutes.";
        var stream = FakeTts.create().open(new TtsRequest("c", 8000, "en-US", ""));
        stream.send(text);
        stream.finish();
        try (var call = InMemoryTransport.builder().speed(4).build(); var audio = StreamRecorder.start(stream)) {
            audio.awaitEnd(WAIT).stream().map(e -> ((TtsEvent.Audio) e).frame()).forEach(call.sink()::write);
            call.silence(ms(1000)); // 1 s of caller time at 4x: 250 ms of wall time, so 1 s of audio (16 characters) played
            call.sink().clear();
            String heard = FakeTts.textFor(call.playedAudio());
            assertThat(text).startsWith(heard);
            assertThat(heard.length()).isBetween(12, 30);
            assertThat(call.playedAudio()).extracting(AudioFrame::sampleRate).containsOnly(8000);
        }
    }
}
