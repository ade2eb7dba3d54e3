package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TwilioCallerPlaybackTest {
    private static byte[] audio(int samples, int code) {
        byte[] b = new byte[samples];
        Arrays.fill(b, (byte) code);
        return b;
    }

    @Test
    void markOnAnIdleBufferIsEchoedAtOnce() {
        var playback = new TwilioCallerPlayback();
        assertThat(playback.mark("m")).containsExactly("m");
        assertThat(playback.idle()).isTrue();
    }

    @Test
    void markIsEchoedOnlyAfterTheAudioBeforeItHasPlayed() {
        var playback = new TwilioCallerPlayback();
        playback.audio(audio(400, 0x10));
        assertThat(playback.mark("a")).isEmpty();
        playback.audio(audio(160, 0x20));
        assertThat(playback.mark("b")).isEmpty();

        var t1 = playback.tick(160);
        var t2 = playback.tick(160);
        assertThat(t1.echoes()).isEmpty();
        assertThat(t2.echoes()).isEmpty();
        var t3 = playback.tick(160); // last 80 samples of the first chunk, mark a passed, 80 of the second
        assertThat(t3.played()).isEqualTo(160);
        assertThat(t3.echoes()).isEmpty();
        assertThat(t3.block()[79]).isEqualTo((byte) 0x10);
        assertThat(t3.block()[80]).isEqualTo((byte) 0x20);
        var t4 = playback.tick(160); // a's audio finished during t3: echoed now; b's audio ends in t4
        assertThat(t4.echoes()).containsExactly("a");
        assertThat(t4.played()).isEqualTo(80);
        assertThat(t4.block()[80]).isEqualTo((byte) 0xFF);
        var t5 = playback.tick(160);
        assertThat(t5.echoes()).containsExactly("b");
        assertThat(t5.played()).isZero();
        assertThat(playback.playedSamples()).isEqualTo(560);
        assertThat(playback.idle()).isTrue();
    }

    @Test
    void markArrivingWhileTheLastBlockPlaysWaitsForTheNextTick() {
        var playback = new TwilioCallerPlayback();
        playback.audio(audio(160, 0x10));
        playback.tick(160);
        assertThat(playback.mark("late")).isEmpty();
        assertThat(playback.tick(160).echoes()).containsExactly("late");
    }

    @Test
    void clearDropsAudioAndEchoesEveryPendingMarkInOrder() {
        var playback = new TwilioCallerPlayback();
        playback.audio(audio(100, 0x10));
        playback.mark("a");
        playback.audio(audio(800, 0x10));
        playback.mark("b");
        playback.audio(audio(800, 0x10));
        playback.mark("c");
        playback.tick(160); // a passed (due next tick)

        assertThat(playback.clear()).containsExactly("a", "b", "c");
        assertThat(playback.hasQueuedAudio()).isFalse();
        assertThat(playback.clearedSamples()).isEqualTo(1700 - 160);
        var after = playback.tick(160);
        assertThat(after.played()).isZero();
        assertThat(after.echoes()).isEmpty();
        assertThat(playback.mark("d")).containsExactly("d");
    }
}
