package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlaybackTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private static AudioFrame frame() {
        return TestAudio.voiced(Duration.ofMillis(20), 8000).getFirst();
    }

    @Test
    void aMarkFallsDueWhenTheAudioBeforeItHasPlayed() {
        var p = new Playback(1.0);
        for (int i = 0; i < 3; i++) {
            assertThat(p.write(frame(), T0)).isEmpty();
        }
        assertThat(p.mark("m", T0)).isEmpty();
        assertThat(p.nextChange()).contains(at(20));
        assertThat(p.advance(at(59))).isEmpty();
        assertThat(p.playedDuration()).isEqualTo(Duration.ofMillis(40));
        assertThat(p.advance(at(60))).containsExactly("m");
        assertThat(p.idle()).isTrue();
        assertThat(p.played()).hasSize(3);
    }

    @Test
    void aMarkWithNothingQueuedIsDueAtOnce() {
        var p = new Playback(1.0);
        p.write(frame(), T0);
        assertThat(p.mark("late", at(100))).containsExactly("late");
    }

    @Test
    void audioWrittenAfterAGapStartsWhenWritten() {
        var p = new Playback(1.0);
        p.write(frame(), T0);
        p.advance(at(500));
        p.write(frame(), at(500));
        p.mark("m", at(500));
        assertThat(p.advance(at(519))).isEmpty();
        assertThat(p.advance(at(520))).containsExactly("m");
    }

    @Test
    void speedShortensWallTime() {
        var p = new Playback(10.0);
        for (int i = 0; i < 50; i++) {
            p.write(frame(), T0);
        }
        p.mark("end", T0);
        assertThat(p.advance(at(99))).isEmpty();
        assertThat(p.advance(at(100))).containsExactly("end");
        assertThat(p.playedDuration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void clearKeepsThePlayedPartAndReleasesPendingMarks() {
        var p = new Playback(1.0);
        p.write(frame(), T0);
        p.mark("a", T0);
        p.write(frame(), T0);
        p.write(frame(), T0);
        p.mark("b", T0);
        var cut = p.clear(at(30));
        assertThat(cut.marks()).containsExactly("a");
        assertThat(cut.releasedMarks()).containsExactly("b");
        assertThat(cut.dropped()).isEqualTo(Duration.ofMillis(30));
        assertThat(p.playedDuration()).isEqualTo(Duration.ofMillis(30));
        assertThat(p.played()).extracting(AudioFrame::length).containsExactly(160, 80);
        assertThat(p.idle()).isTrue();
        p.write(frame(), at(30));
        p.mark("c", at(30));
        assertThat(p.advance(at(50))).containsExactly("c");
    }
}
