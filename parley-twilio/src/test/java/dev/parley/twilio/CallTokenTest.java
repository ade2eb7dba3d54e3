package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.twilio.CallToken.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallTokenTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T12:00:00Z"));
    private final InstantSource clock = now::get;
    private final CallToken tokens = CallToken.builder().secret(SECRET).ttl(Duration.ofSeconds(30)).clock(clock).build();

    @Test
    void validOnceForItsCall() {
        String token = tokens.issue("CA1");
        assertThat(tokens.verify(token, "CA2")).isEqualTo(Verdict.WRONG_CALL);
        assertThat(tokens.verify(token, "CA1")).isEqualTo(Verdict.VALID);
        assertThat(tokens.verify(token, "CA1")).isEqualTo(Verdict.REPLAYED);
        assertThat(tokens.issue("CA1")).isNotEqualTo(token);
    }

    @Test
    void expires() {
        String token = tokens.issue("CA1");
        now.set(now.get().plusSeconds(30));
        assertThat(tokens.verify(token, "CA1")).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void refusesForgeriesAndGarbage() {
        String token = tokens.issue("CA1");
        int dot = token.lastIndexOf('.');
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("CA1", "CA9").getBytes())
                + token.substring(dot);
        assertThat(tokens.verify(forged, "CA9")).isEqualTo(Verdict.BAD_SIGNATURE);
        CallToken other = CallToken.builder().secret("another-secret-of-32-bytes-length!".getBytes()).clock(clock).build();
        assertThat(other.verify(token, "CA1")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(tokens.verify("", "CA1")).isEqualTo(Verdict.MISSING);
        assertThat(tokens.verify("nodot", "CA1")).isEqualTo(Verdict.MALFORMED);
        assertThat(tokens.verify("!!.??", "CA1")).isEqualTo(Verdict.MALFORMED);
        assertThat(tokens.verify("x".repeat(1000) + ".y", "CA1")).isEqualTo(Verdict.MALFORMED);
        // the genuine token still works after all that
        assertThat(tokens.verify(token, "CA1")).isEqualTo(Verdict.VALID);
    }

    @Test
    void verifiesTheStartMessage() {
        String token = tokens.issue("CA1");
        var start = new TwilioMessage.Start(1, "MZ1", "AC1", "CA1", List.of(TwilioMessage.Track.INBOUND),
                Map.of(CallToken.PARAMETER, token), TwilioMessage.MediaFormat.MULAW_8K_MONO);
        var bare = new TwilioMessage.Start(1, "MZ1", "AC1", "CA1", List.of(), Map.of(), TwilioMessage.MediaFormat.MULAW_8K_MONO);
        assertThat(tokens.verify(bare)).isEqualTo(Verdict.MISSING);
        assertThat(tokens.verify(start)).isEqualTo(Verdict.VALID);
        assertThat(tokens.verify(start)).isEqualTo(Verdict.REPLAYED);
    }

    @Test
    void replayGuardIsBoundedAndForgetsExpiredTokens() {
        CallToken small = CallToken.builder().secret(SECRET).ttl(Duration.ofSeconds(10)).clock(clock).maxOutstanding(2).build();
        assertThat(small.verify(small.issue("CA1"), "CA1")).isEqualTo(Verdict.VALID);
        assertThat(small.verify(small.issue("CA2"), "CA2")).isEqualTo(Verdict.VALID);
        assertThat(small.verify(small.issue("CA3"), "CA3")).isEqualTo(Verdict.GUARD_FULL);
        now.set(now.get().plusSeconds(11));
        String fresh = small.issue("CA4");
        assertThat(small.verify(fresh, "CA4")).isEqualTo(Verdict.VALID);
        assertThat(small.remembered()).isEqualTo(1);
    }

    @Test
    void configurationIsChecked() {
        assertThatThrownBy(() -> CallToken.builder().secret(new byte[16]).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("CA.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallToken.builder().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
