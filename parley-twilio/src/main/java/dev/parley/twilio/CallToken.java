package dev.parley.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time per-call tokens: the voice webhook issues one for the call's {@code CallSid} and passes it as
 * a {@code <Parameter name="callToken">}; the WebSocket handler checks it on {@code start}. A token is
 * HMAC-SHA256 signed, expires after a short time to live, is bound to one call and is accepted once
 * (an in-memory replay guard remembers used tokens until they expire). Thread-safe.
 *
 * <p>Token text: {@code base64url(callSid "." expiresEpochMillis "." nonce) "." base64url(hmac)}. It
 * contains the CallSid (not personal data) and no phone numbers.
 */
public final class CallToken {
    /** The {@code <Parameter>} name the token travels under. */
    public static final String PARAMETER = "callToken";

    /** The outcome of {@link #verify}. Only {@link #VALID} accepts the stream. */
    public enum Verdict { VALID, MISSING, MALFORMED, BAD_SIGNATURE, EXPIRED, WRONG_CALL, REPLAYED, GUARD_FULL }

    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN_CHARS = 400;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final InstantSource clock;
    private final int maxOutstanding;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> used = new ConcurrentHashMap<>();

    private CallToken(Builder b) {
        this.key = new SecretKeySpec(b.secret, "HmacSHA256");
        this.ttl = b.ttl;
        this.clock = b.clock;
        this.maxOutstanding = b.maxOutstanding;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fresh token for the call {@code callSid}, valid for the configured time to live. */
    public String issue(String callSid) {
        if (!SID.matcher(callSid).matches()) {
            throw new IllegalArgumentException("callSid must be 1-64 letters and digits");
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        long expires = clock.millis() + ttl.toMillis();
        String payload = callSid + "." + expires + "." + B64.encodeToString(nonce);
        return B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(hmac(payload));
    }

    /** Checks the token from {@code start.customParameters} against {@code start.callSid}, and uses it up. */
    public Verdict verify(TwilioMessage.Start start) {
        String token = start.customParameters().get(PARAMETER);
        return token == null ? Verdict.MISSING : verify(token, start.callSid());
    }

    /** Checks {@code token} for the call {@code callSid}; a {@link Verdict#VALID} token is used up. */
    public Verdict verify(String token, String callSid) {
        if (token.isEmpty()) {
            return Verdict.MISSING;
        }
        int dot = token.lastIndexOf('.');
        if (token.length() > MAX_TOKEN_CHARS || dot <= 0) {
            return Verdict.MALFORMED;
        }
        byte[] payloadBytes;
        byte[] mac;
        try {
            payloadBytes = Base64.getUrlDecoder().decode(token.substring(0, dot));
            mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        String payload = new String(payloadBytes, StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(hmac(payload), mac)) {
            return Verdict.BAD_SIGNATURE;
        }
        String[] parts = payload.split("\\.", -1);
        long expires;
        try {
            expires = parts.length == 3 ? Long.parseLong(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        if (expires < 0) {
            return Verdict.MALFORMED;
        }
        long now = clock.millis();
        if (now >= expires) {
            return Verdict.EXPIRED;
        }
        if (!MessageDigest.isEqual(parts[0].getBytes(StandardCharsets.UTF_8), callSid.getBytes(StandardCharsets.UTF_8))) {
            return Verdict.WRONG_CALL;
        }
        if (used.size() >= maxOutstanding) {
            used.values().removeIf(exp -> exp <= now);
            if (used.size() >= maxOutstanding) {
                return Verdict.GUARD_FULL;
            }
        }
        return used.putIfAbsent(parts[2], expires) == null ? Verdict.VALID : Verdict.REPLAYED;
    }

    /** Used tokens still remembered (they are forgotten once expired, lazily). */
    public int remembered() {
        return used.size();
    }

    private byte[] hmac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "CallToken[ttl=" + ttl + "]";
    }

    /** Configures a {@link CallToken}: a secret of at least 32 bytes is required. */
    public static final class Builder {
        private byte[] secret = new byte[0];
        private Duration ttl = Duration.ofMinutes(1);
        private InstantSource clock = InstantSource.system();
        private int maxOutstanding = 100_000;

        private Builder() {}

        /** The HMAC key (at least 32 bytes); the array is copied. */
        public Builder secret(byte[] secret) {
            this.secret = Arrays.copyOf(secret, secret.length);
            return this;
        }

        /** How long an issued token stays valid (default one minute: webhook reply to stream start is fast). */
        public Builder ttl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
            this.ttl = ttl;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** Cap of the replay guard; when reached with nothing expired, verification answers {@link Verdict#GUARD_FULL}. */
        public Builder maxOutstanding(int maxOutstanding) {
            if (maxOutstanding < 1) {
                throw new IllegalArgumentException("maxOutstanding must be positive");
            }
            this.maxOutstanding = maxOutstanding;
            return this;
        }

        public CallToken build() {
            if (secret.length < 32) {
                throw new IllegalArgumentException("secret must be at least 32 bytes");
            }
            return new CallToken(this);
        }
    }
}
