package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import dev.parley.audio.Wav;
import dev.parley.audio.WavAudio;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Acts like Twilio for one inbound call against a Parley server: posts the signed voice webhook,
 * follows the TwiML's {@code <Connect><Stream>}, opens the Media Streams WebSocket with a signed
 * upgrade, and plays a script of caller turns, DTMF digits and a hang-up in real time, while a
 * simulated playback buffer plays the agent's audio and echoes its marks the way Twilio does.
 *
 * <pre>{@code
 * TwilioCallerResult r = TwilioCallerSimulator.builder(URI.create("http://127.0.0.1:" + port), "token")
 *     .say(Path.of("hello.wav"), TwilioCallerStart.at(Duration.ofMillis(300)))
 *     .say(Path.of("two-pizzas.wav"))                                  // after the agent's reply
 *     .say(Path.of("no-wait.wav"), TwilioCallerStart.bargeIn(Duration.ofMillis(800)))
 *     .dtmf("1#", TwilioCallerStart.after(Duration.ofMillis(500)))
 *     .build()                                                         // then: hang up after the reply
 *     .run();
 * }</pre>
 *
 * <p>Media goes out as 20 ms frames of μ-law (160 bytes) on an absolute wall-clock schedule, with
 * μ-law silence whenever the caller is not speaking; the playback buffer is drained on the same
 * ticks, so the stereo recording and every timing in the result share one clock. {@link #run()}
 * blocks for the length of the call; run many simulators on virtual threads for load (pass one
 * shared {@link HttpClient} then). The instance is immutable; each {@code run()} is a new call with
 * the same SIDs.
 */
public final class TwilioCallerSimulator {
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /** How a request is signed, to test the server's validation. */
    public enum Signing {
        /** Correctly. */
        VALID,
        /** With a different auth token. */
        WRONG_TOKEN,
        /** No {@code X-Twilio-Signature} header. */
        MISSING,
        /**
         * Stream only: over the {@code https://} form of the {@code wss://} URL, which is what a server
         * that validates the upgrade against its own view of the request would expect (the pitfall of
         * twilio-aspnet#162; Twilio signs the {@code wss://} URL). For the webhook it is {@link #VALID}.
         */
        HTTPS_URL
    }

    sealed interface Step {
        TwilioCallerStart start();
    }

    record Say(TwilioCallerAudio audio, TwilioCallerStart start) implements Step {}

    record Dtmf(String digits, TwilioCallerStart start) implements Step {}

    record HangUp(TwilioCallerStart start) implements Step {}

    final URI webhookUrl;
    final String signedWebhookUrl;
    final String authToken;
    final String accountSid;
    final String callSid;
    final Map<String, String> webhookParameters;
    final Optional<URI> streamAddress;
    final Signing webhookSigning;
    final Signing streamSigning;
    final List<Step> steps;
    final double voicedDbfs;
    final boolean record;
    final Duration maxDuration;
    private final Optional<HttpClient> client;

    private TwilioCallerSimulator(Builder b) {
        String base = b.baseUrl.toString().replaceAll("/+$", "");
        this.webhookUrl = URI.create(base + b.webhookPath);
        this.signedWebhookUrl = b.publicWebhookUrl.map(URI::toString).orElse(webhookUrl.toString());
        this.authToken = b.authToken;
        this.accountSid = b.accountSid;
        this.callSid = b.callSid;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", b.accountSid);
        params.put("ApiVersion", "2010-04-01");
        params.put("CallSid", b.callSid);
        params.put("CallStatus", "ringing");
        params.put("Called", b.to);
        params.put("Caller", b.from);
        params.put("Direction", "inbound");
        params.put("From", b.from);
        params.put("To", b.to);
        params.putAll(b.extraParameters);
        this.webhookParameters = Map.copyOf(params);
        this.streamAddress = b.streamAddress;
        this.webhookSigning = b.webhookSigning;
        this.streamSigning = b.streamSigning;
        List<Step> script = new ArrayList<>();
        for (Pending p : b.script) {
            TwilioCallerStart start = p.start.orElse(b.defaultStart);
            if (p.hangUp) {
                script.add(new HangUp(start));
            } else if (p.pcm.length > 0) {
                script.add(new Say(TwilioCallerAudio.of(p.pcm, p.rate, b.voicedDbfs), start));
            } else {
                script.add(new Dtmf(p.digits, start));
            }
        }
        if (script.isEmpty() || !(script.getLast() instanceof HangUp)) {
            script.add(new HangUp(b.defaultStart));
        }
        this.steps = List.copyOf(script);
        this.voicedDbfs = b.voicedDbfs;
        this.record = b.record;
        this.maxDuration = b.maxDuration;
        this.client = b.client;
    }

    /** A simulator posting to {@code baseUrl + "/twilio/voice"} and signing with {@code authToken}. */
    public static Builder builder(URI baseUrl, String authToken) {
        return new Builder(baseUrl, authToken);
    }

    /** Twilio's request signature: base64(HMAC-SHA1(authToken, url + each name+value, names sorted)). */
    public static String signature(String authToken, String url, Map<String, String> params) {
        return TwilioCallerWire.signature(authToken, url, params);
    }

    public String callSid() {
        return callSid;
    }

    public String accountSid() {
        return accountSid;
    }

    /** Places the call and plays the script; returns when the call has ended. */
    public TwilioCallerResult run() {
        if (client.isPresent()) {
            return TwilioCallerDialer.call(this, client.get());
        }
        try (HttpClient own = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build()) {
            return TwilioCallerDialer.call(this, own);
        }
    }

    static String hex32() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** One scripted step as given to the builder (audio not yet converted). */
    private record Pending(short[] pcm, int rate, String digits, Optional<TwilioCallerStart> start, boolean hangUp) {}

    /** Configures a {@link TwilioCallerSimulator}. Not thread-safe. */
    public static final class Builder {
        private final URI baseUrl;
        private final String authToken;
        private String webhookPath = "/twilio/voice";
        private Optional<URI> publicWebhookUrl = Optional.empty();
        private String accountSid = "AC" + hex32();
        private String callSid = "CA" + hex32();
        private String from = "+15005550006";
        private String to = "+15005550001";
        private final Map<String, String> extraParameters = new LinkedHashMap<>();
        private Optional<URI> streamAddress = Optional.empty();
        private Signing webhookSigning = Signing.VALID;
        private Signing streamSigning = Signing.VALID;
        private final List<Pending> script = new ArrayList<>();
        private TwilioCallerStart defaultStart = TwilioCallerStart.afterReply();
        private double voicedDbfs = TestAudio.SPEECH_THRESHOLD_DBFS;
        private boolean record = true;
        private Duration maxDuration = Duration.ofMinutes(5);
        private Optional<HttpClient> client = Optional.empty();

        private Builder(URI baseUrl, String authToken) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.authToken = Objects.requireNonNull(authToken, "authToken");
        }

        /** Path of the voice webhook under the base URL (default {@code /twilio/voice}). */
        public Builder webhookPath(String path) {
            this.webhookPath = path.startsWith("/") ? path : "/" + path;
            return this;
        }

        /** The URL to sign when the server is configured with a public URL other than the one posted to. */
        public Builder publicWebhookUrl(URI url) {
            this.publicWebhookUrl = Optional.of(url);
            return this;
        }

        public Builder accountSid(String sid) {
            this.accountSid = Objects.requireNonNull(sid);
            return this;
        }

        public Builder callSid(String sid) {
            this.callSid = Objects.requireNonNull(sid);
            return this;
        }

        /** The caller's number ({@code From}, {@code Caller}). */
        public Builder from(String number) {
            this.from = Objects.requireNonNull(number);
            return this;
        }

        /** The number called ({@code To}, {@code Called}). */
        public Builder to(String number) {
            this.to = Objects.requireNonNull(number);
            return this;
        }

        /** Another webhook form parameter (or a replacement for a default one), signed with the rest. */
        public Builder webhookParameter(String name, String value) {
            extraParameters.put(name, value);
            return this;
        }

        /** Connect the WebSocket here instead of the TwiML's URL (which is still the URL signed). */
        public Builder streamAddress(URI address) {
            this.streamAddress = Optional.of(address);
            return this;
        }

        public Builder webhookSignature(Signing signing) {
            this.webhookSigning = signing;
            return this;
        }

        public Builder streamSignature(Signing signing) {
            this.streamSigning = signing;
            return this;
        }

        /** When steps without an explicit start begin, and the implicit final hang-up (default {@link TwilioCallerStart#afterReply()}). */
        public Builder defaultStart(TwilioCallerStart start) {
            this.defaultStart = Objects.requireNonNull(start);
            return this;
        }

        /** Level above which a sent frame counts as voiced for the measurements (default -40 dBFS). */
        public Builder voicedThreshold(double dbfs) {
            this.voicedDbfs = dbfs;
            return this;
        }

        /** Whether to keep the stereo recording (default true; 32 kB per second of call). */
        public Builder record(boolean on) {
            this.record = on;
            return this;
        }

        /** The caller hangs up (and the result lists an error) if the call lasts this long (default 5 min). */
        public Builder maxDuration(Duration max) {
            this.maxDuration = max;
            return this;
        }

        /** The HTTP client to use (share one among many simulators); by default each run makes its own. */
        public Builder httpClient(HttpClient http) {
            this.client = Optional.of(http);
            return this;
        }

        /** A caller turn from a WAV file (any format {@link Wav} reads; mixed to mono, resampled to 8 kHz). */
        public Builder say(Path wav) {
            return say(Wav.read(wav), Optional.empty());
        }

        public Builder say(Path wav, TwilioCallerStart start) {
            return say(Wav.read(wav), Optional.of(start));
        }

        public Builder say(WavAudio audio) {
            return say(audio, Optional.empty());
        }

        public Builder say(WavAudio audio, TwilioCallerStart start) {
            return say(audio, Optional.of(start));
        }

        /** A caller turn from frames (all at one sample rate, any rate). */
        public Builder say(List<AudioFrame> frames) {
            return say(frames, Optional.empty());
        }

        public Builder say(List<AudioFrame> frames, TwilioCallerStart start) {
            return say(frames, Optional.of(start));
        }

        private Builder say(List<AudioFrame> frames, Optional<TwilioCallerStart> start) {
            if (frames.isEmpty()) {
                throw new IllegalArgumentException("a caller turn needs audio");
            }
            int rate = frames.getFirst().sampleRate();
            short[] all = new short[frames.stream().mapToInt(AudioFrame::length).sum()];
            int at = 0;
            for (AudioFrame f : frames) {
                if (f.sampleRate() != rate) {
                    throw new IllegalArgumentException("frames mix " + rate + " Hz and " + f.sampleRate() + " Hz");
                }
                System.arraycopy(f.samples(), 0, all, at, f.length());
                at += f.length();
            }
            return add(new Pending(all, rate, "", start, false));
        }

        private Builder say(WavAudio audio, Optional<TwilioCallerStart> start) {
            if (audio.frames() == 0) {
                throw new IllegalArgumentException("a caller turn needs audio");
            }
            return add(new Pending(audio.mono(), audio.sampleRate(), "", start, false));
        }

        /** DTMF digits ({@code 0-9 * #}), one every 200 ms, starting as the default start says. */
        public Builder dtmf(String digits) {
            return dtmf(digits, Optional.empty());
        }

        public Builder dtmf(String digits, TwilioCallerStart start) {
            return dtmf(digits, Optional.of(start));
        }

        private Builder dtmf(String digits, Optional<TwilioCallerStart> start) {
            if (!digits.matches("[0-9*#]+")) {
                throw new IllegalArgumentException("DTMF digits must be 0-9, * or #: '" + digits + "'");
            }
            return add(new Pending(new short[0], 8000, digits, start, false));
        }

        /** The caller hangs up: sends {@code stop} and closes. Without it the call ends after the last reply. */
        public Builder hangUp(TwilioCallerStart start) {
            return add(new Pending(new short[0], 8000, "", Optional.of(start), true));
        }

        private Builder add(Pending step) {
            if (!script.isEmpty() && script.getLast().hangUp) {
                throw new IllegalStateException("the caller has already hung up");
            }
            script.add(step);
            return this;
        }

        public TwilioCallerSimulator build() {
            return new TwilioCallerSimulator(this);
        }
    }
}
