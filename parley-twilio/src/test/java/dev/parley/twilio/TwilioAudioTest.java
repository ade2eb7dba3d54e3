package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioAudioTest {

    @Test
    void inboundPayloadBecomesAn8kFrame() {
        byte[] payload = new byte[160];
        java.util.Arrays.fill(payload, (byte) 0xFF);
        payload[10] = (byte) 0x80;
        AudioFrame frame = TwilioAudio.toFrame(payload);
        assertThat(frame.sampleRate()).isEqualTo(8000);
        assertThat(frame.duration()).isEqualTo(Duration.ofMillis(20));
        assertThat(frame.samples()[10]).isEqualTo((short) 32124); // G.711 mu-law full scale
        assertThat(TwilioAudio.toFrame(new byte[] {0x00, 0x7F}).samples()).containsExactly((short) -32124, (short) 0);
        assertThat(TwilioAudio.toMulaw(TwilioAudio.toFrame(payload))).isEqualTo(payload);
        assertThat(frame.samples()[11]).isZero();
    }

    @Test
    void encoderAt8kProducesExact160BytePayloads() {
        var encoder = TwilioAudio.encoder();
        short[] pcm = tone(1000, 8000, 250, 8000); // 250 samples = 31.25 ms
        List<byte[]> first = encoder.write(new AudioFrame(pcm, 8000));
        assertThat(first).hasSize(1).allSatisfy(p -> assertThat(p).hasSize(160));
        assertThat(encoder.pending()).isEqualTo(Duration.ofNanos(90 * 125_000L));
        List<byte[]> tail = encoder.flush();
        assertThat(tail).hasSize(1);
        assertThat(tail.getFirst()).hasSize(160);
        assertThat(tail.getFirst()[90]).isEqualTo(TwilioAudio.MULAW_SILENCE);
        assertThat(tail.getFirst()[159]).isEqualTo(TwilioAudio.MULAW_SILENCE);
        assertThat(encoder.flush()).isEmpty();
        // sample-exact at 8 kHz: the first payload is the first 160 samples, encoded
        byte[] direct = TwilioAudio.toMulaw(new AudioFrame(java.util.Arrays.copyOf(pcm, 160), 8000));
        assertThat(first.getFirst()).isEqualTo(direct);
    }

    @ParameterizedTest
    @ValueSource(ints = {6000, 11025, 16000, 24000, 44100, 48000})
    void encoderResamplesAnyRateTo20msFramesKeepingTheTone(int rate) {
        var encoder = TwilioAudio.encoder();
        short[] pcm = tone(440, rate, rate, 10000); // one second
        List<byte[]> out = new ArrayList<>();
        // feed in 10 ms blocks as a TTS would
        int block = rate / 100;
        for (int i = 0; i < pcm.length; i += block) {
            out.addAll(encoder.write(new AudioFrame(java.util.Arrays.copyOfRange(pcm, i, Math.min(pcm.length, i + block)), rate)));
        }
        out.addAll(encoder.flush());
        // 1 s is 8000 samples, plus core's resampler tail of a few ms, padded to a 20 ms frame
        assertThat(out).hasSize(51).allSatisfy(p -> assertThat(p).hasSize(160));
        short[] decoded = decode(out);
        assertThat(rms(decoded, 8040, 8160)).isZero(); // the pad is mu-law silence
        // the 440 Hz tone survives (Goertzel power at 440 dominates 1000 Hz and the 4 kHz neighbourhood)
        double at440 = goertzel(decoded, 1000, 7000, 440, 8000);
        double at1000 = goertzel(decoded, 1000, 7000, 1000, 8000);
        assertThat(at440).isGreaterThan(100 * at1000);
        double rms = rms(decoded, 1000, 7000);
        assertThat(rms).isBetween(10000 / Math.sqrt(2) * 0.9, 10000 / Math.sqrt(2) * 1.1);
    }

    @Test
    void downsamplingRejectsToneAboveTheTelephoneBand() {
        var encoder = TwilioAudio.encoder();
        // 6 kHz at 48 kHz would alias to 2 kHz if decimated naively
        List<byte[]> out = encoder.writeAndFlush(new AudioFrame(tone(6000, 48000, 48000, 10000), 48000));
        double rms = rms(decode(out), 1000, 7000);
        assertThat(rms).isLessThan(150); // > 30 dB below the 7071 RMS input
    }

    @Test
    void rateChangeFlushesTheOldRateAndResetDropsPending() {
        var encoder = TwilioAudio.encoder();
        List<byte[]> out = new ArrayList<>(encoder.write(new AudioFrame(tone(300, 16000, 1600, 8000), 16000))); // 100 ms
        out.addAll(encoder.write(new AudioFrame(tone(300, 8000, 800, 8000), 8000))); // 100 ms
        out.addAll(encoder.flush());
        // 800 + 800 samples, plus the 16 kHz resampler's tail (flushed at the rate change) in one more frame
        assertThat(out).hasSize(11);
        encoder.write(new AudioFrame(new short[100], 8000));
        encoder.reset();
        assertThat(encoder.pending()).isZero();
        assertThat(encoder.flush()).isEmpty();
    }

    @Test
    void exoticRatesAreRefused() {
        var encoder = TwilioAudio.encoder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encoder.write(new AudioFrame(new short[79], 7919)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static short[] tone(double hz, int rate, int samples, double amplitude) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private static short[] decode(List<byte[]> payloads) {
        short[] all = new short[payloads.size() * 160];
        for (int i = 0; i < payloads.size(); i++) {
            System.arraycopy(TwilioAudio.toFrame(payloads.get(i)).samples(), 0, all, i * 160, 160);
        }
        return all;
    }

    private static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    private static double goertzel(short[] s, int from, int to, double hz, int rate) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double q1 = 0;
        double q2 = 0;
        for (int i = from; i < to; i++) {
            double q0 = coeff * q1 - q2 + s[i];
            q2 = q1;
            q1 = q0;
        }
        return q1 * q1 + q2 * q2 - coeff * q1 * q2;
    }
}
