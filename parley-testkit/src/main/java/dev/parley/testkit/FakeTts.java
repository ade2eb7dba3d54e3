package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deterministic {@link TextToSpeech}: every character becomes {@code charDuration} of audio
 * (default 60 ms; whitespace is silence, other characters a tone that encodes them), delivered in
 * 20 ms frames at the requested rate, {@code timeToFirstByte} after a flush, then
 * {@code realTimeFactor} times faster than real time. {@link #spokenText} maps audio back to the
 * text it spoke, so a test can check what the caller heard.
 *
 * <pre>{@code
 * var tts = FakeTts.builder().timeToFirstByte(Duration.ofMillis(100)).realTimeFactor(5).wordTimings(true).build();
 * String heard = tts.spokenText(transport.playedAudio());
 * }</pre>
 */
public final class FakeTts implements TextToSpeech {
    /** Default audio per character. */
    public static final Duration DEFAULT_CHAR_DURATION = Duration.ofMillis(60);

    record Settings(String name, Duration charDuration, int framesPerChar, Duration ttfb, double realTimeFactor,
            boolean wordTimings, double levelDbfs) {}

    private final Settings settings;
    private final FaultPlan faults;
    private final List<TtsRequest> requests = new CopyOnWriteArrayList<>();
    private final List<FakeTtsStream> streams = new CopyOnWriteArrayList<>();

    private FakeTts(Builder b) {
        this.settings = new Settings(b.name, b.charDuration, ToneCodec.framesPerChar(b.charDuration), b.ttfb,
                b.realTimeFactor, b.wordTimings, b.levelDbfs);
        this.faults = new FaultPlan(b.faults);
    }

    /** Instant synthesis (no latency, unpaced), 60 ms per character. */
    public static FakeTts create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FakeTtsStream open(TtsRequest request) {
        requests.add(request);
        Fault fault = faults.next();
        if (fault instanceof Fault.FailOnOpen f) {
            throw f.error();
        }
        var stream = new FakeTtsStream(settings, request, fault);
        streams.add(stream);
        return stream;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The fault for the next {@code open} not already given one. */
    public void addFault(Fault fault) {
        faults.add(fault);
    }

    /** Audio length this fake gives a text. */
    public Duration durationOf(String text) {
        return settings.charDuration().multipliedBy(text.length());
    }

    /** The text the audio spoke (see {@link #textFor(List, Duration)}), with this fake's character duration. */
    public String spokenText(List<AudioFrame> audio) {
        return textFor(audio, settings.charDuration());
    }

    /** The text that audio from a {@code FakeTts} with the default 60 ms per character spoke. */
    public static String textFor(List<AudioFrame> audio) {
        return textFor(audio, DEFAULT_CHAR_DURATION);
    }

    /**
     * The text that audio from a {@code FakeTts} spoke. Audio must be in frames of 20 ms as the fake
     * produced them (truncated frames are fine); a character counts when at least half of it is
     * present; whitespace comes back as single spaces per character slot.
     */
    public static String textFor(List<AudioFrame> audio, Duration charDuration) {
        return ToneCodec.decode(audio, ToneCodec.framesPerChar(charDuration));
    }

    public List<TtsRequest> requests() {
        return List.copyOf(requests);
    }

    public List<FakeTtsStream> streams() {
        return List.copyOf(streams);
    }

    public Optional<FakeTtsStream> lastStream() {
        var all = streams();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Every text passed to {@code send}, over all streams, in order of streams then calls. */
    public List<String> textsReceived() {
        var out = new ArrayList<String>();
        for (FakeTtsStream s : streams) {
            out.addAll(s.textsReceived());
        }
        return out;
    }

    /** Builder. Defaults: 60 ms per character, no latency, unpaced, no word timings, -20 dBFS. */
    public static final class Builder {
        private String name = "fake-tts";
        private Duration charDuration = DEFAULT_CHAR_DURATION;
        private Duration ttfb = Duration.ZERO;
        private double realTimeFactor = Double.POSITIVE_INFINITY;
        private boolean wordTimings;
        private double levelDbfs = -20;
        private final List<Fault> faults = new ArrayList<>();

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Audio per character, a multiple of 20 ms. Default 60 ms. */
        public Builder charDuration(Duration d) {
            ToneCodec.framesPerChar(d);
            this.charDuration = d;
            return this;
        }

        /** Delay from {@code flush()} (or {@code finish()}) to the first audio of that text. Default 0. */
        public Builder timeToFirstByte(Duration d) {
            this.ttfb = FakeStt.nonNegative(d);
            return this;
        }

        /** How many times faster than real time audio is produced; infinity (default) for all at once. */
        public Builder realTimeFactor(double factor) {
            if (!(factor > 0)) {
                throw new IllegalArgumentException("factor must be > 0: " + factor);
            }
            this.realTimeFactor = factor;
            return this;
        }

        /** Deliver a {@code TtsEvent.Words} before each piece's audio. Default false. */
        public Builder wordTimings(boolean on) {
            this.wordTimings = on;
            return this;
        }

        /** Level of the tones. Default -20 dBFS. */
        public Builder levelDbfs(double dbfs) {
            this.levelDbfs = dbfs;
            return this;
        }

        /** Faults for the first opens, one per open; later opens are healthy. */
        public Builder faults(Fault... perOpen) {
            faults.addAll(List.of(perOpen));
            return this;
        }

        public FakeTts build() {
            return new FakeTts(this);
        }
    }
}
