package dev.parley.testkit;

import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted {@link SpeechToText}. It finds speech segments by energy in the audio it receives
 * (frames above -40 dBFS are speech; a segment ends after {@code endpointing} of silence, at
 * {@code finalizeTurn()} or at {@code finish()}) and "recognises" the k-th segment as the k-th
 * {@link Utterance} of its script: interims as the segment's speech time passes their offsets, and
 * a {@code Final(endOfSpeech=true)} {@code finalLatency} after the segment ends. The script is
 * shared by all streams of this fake, so a reconnected stream continues it. Segments beyond the
 * script are noise (no transcript).
 *
 * <pre>{@code
 * var stt = FakeStt.scripted(List.of("i would like a pizza", "yes"));
 * var stt2 = FakeStt.builder().utterances("hello").finalLatency(Duration.ofMillis(150))
 *         .faults(Fault.failOnOpen(Fault.providerError("down"))).build();
 * }</pre>
 */
public final class FakeStt implements SpeechToText {
    private final Settings settings;
    private final ArrayDeque<Utterance> script;
    private final FaultPlan faults;
    private final List<FakeSttStream> streams = new CopyOnWriteArrayList<>();
    private final List<SttRequest> requests = new CopyOnWriteArrayList<>();
    private int unscripted;

    record Settings(String name, Duration wordInterval, Optional<Duration> endpointing, Duration finalLatency,
            Duration interimLatency, double thresholdDbfs, boolean interims, boolean speechStartedEvents,
            boolean utteranceEndEvents) {}

    private FakeStt(Builder b) {
        this.settings = new Settings(b.name, b.wordInterval, b.endpointing, b.finalLatency, b.interimLatency,
                b.thresholdDbfs, b.interims, b.speechStartedEvents, b.utteranceEndEvents);
        this.script = new ArrayDeque<>();
        for (var entry : b.script) {
            script.add(entry.apply(b.wordInterval));
        }
        this.faults = new FaultPlan(b.faults);
    }

    /** Recognises the given utterances in order, one word per 150 ms of speech, defaults otherwise. */
    public static FakeStt scripted(List<String> utterances) {
        return builder().utterances(utterances).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FakeSttStream open(SttRequest request) {
        requests.add(request);
        Fault fault = faults.next();
        if (fault instanceof Fault.FailOnOpen f) {
            throw f.error();
        }
        var stream = new FakeSttStream(this, settings, request, fault);
        streams.add(stream);
        return stream;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** Appends an utterance to the script (interims one word per {@code wordInterval}). */
    public void addUtterance(String text) {
        addUtterance(Utterance.words(text, settings.wordInterval()));
    }

    public synchronized void addUtterance(Utterance utterance) {
        script.add(utterance);
    }

    /** The fault for the next {@code open} not already given one by the builder. */
    public void addFault(Fault fault) {
        faults.add(fault);
    }

    /** Takes the next script entry for a new segment; noise when the script is exhausted. */
    synchronized Utterance nextUtterance() {
        Utterance u = script.poll();
        if (u == null) {
            unscripted++;
            return Utterance.noise();
        }
        return u;
    }

    /** Utterances not yet consumed by a segment. */
    public synchronized List<Utterance> remainingScript() {
        return List.copyOf(script);
    }

    /** Segments that found the script empty. */
    public synchronized int unscriptedSegments() {
        return unscripted;
    }

    /** Every {@code open} request, including failed ones. */
    public List<SttRequest> requests() {
        return List.copyOf(requests);
    }

    /** Streams successfully opened, oldest first. */
    public List<FakeSttStream> streams() {
        return List.copyOf(streams);
    }

    public Optional<FakeSttStream> lastStream() {
        var all = streams();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Frames received over all streams. */
    public long framesReceived() {
        return streams.stream().mapToLong(FakeSttStream::framesReceived).sum();
    }

    /** {@code finalizeTurn()} calls over all streams. */
    public int finalizeCalls() {
        return streams.stream().mapToInt(FakeSttStream::finalizeCalls).sum();
    }

    /** Speech segments detected over all streams. */
    public int segmentsDetected() {
        return streams.stream().mapToInt(FakeSttStream::segmentsDetected).sum();
    }

    /** Builder; every setting has a default modelled on a streaming cloud STT. */
    public static final class Builder {
        private String name = "fake-stt";
        private final List<Function<Duration, Utterance>> script = new ArrayList<>();
        private Duration wordInterval = Duration.ofMillis(150);
        private Optional<Duration> endpointing = Optional.of(Duration.ofMillis(300));
        private Duration finalLatency = Duration.ofMillis(150);
        private Duration interimLatency = Duration.ZERO;
        private double thresholdDbfs = TestAudio.SPEECH_THRESHOLD_DBFS;
        private boolean interims = true;
        private boolean speechStartedEvents;
        private boolean utteranceEndEvents;
        private final List<Fault> faults = new ArrayList<>();

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Appends utterances recognised as growing word prefixes, one word per {@link #wordInterval}. */
        public Builder utterances(List<String> texts) {
            for (String t : texts) {
                script.add(interval -> Utterance.words(t, interval));
            }
            return this;
        }

        public Builder utterances(String... texts) {
            return utterances(List.of(texts));
        }

        /** Appends fully scripted utterances. */
        public Builder utterance(Utterance... utterances) {
            for (Utterance u : utterances) {
                script.add(interval -> u);
            }
            return this;
        }

        /** Speech time per word for utterances given as text. Default 150 ms. */
        public Builder wordInterval(Duration d) {
            this.wordInterval = positive(d);
            return this;
        }

        /** Silence after speech that ends a segment without {@code finalizeTurn()}. Default 300 ms. */
        public Builder endpointing(Duration silence) {
            this.endpointing = Optional.of(positive(silence));
            return this;
        }

        /** Segments end only at {@code finalizeTurn()} or {@code finish()}. */
        public Builder noEndpointing() {
            this.endpointing = Optional.empty();
            return this;
        }

        /** Delay from a segment's end (or {@code finalizeTurn()}) to its final. Default 150 ms. */
        public Builder finalLatency(Duration d) {
            this.finalLatency = nonNegative(d);
            return this;
        }

        /** Delay from the audio that completes an interim's offset to the interim. Default 0. */
        public Builder interimLatency(Duration d) {
            this.interimLatency = nonNegative(d);
            return this;
        }

        /** Level above which a frame is speech. Default -40 dBFS. */
        public Builder speechThresholdDbfs(double dbfs) {
            this.thresholdDbfs = dbfs;
            return this;
        }

        /** Whether interims are emitted. Default true. */
        public Builder interims(boolean on) {
            this.interims = on;
            return this;
        }

        /** Emit {@code SttEvent.SpeechStarted} at each segment start. Default false. */
        public Builder speechStartedEvents(boolean on) {
            this.speechStartedEvents = on;
            return this;
        }

        /** Emit {@code SttEvent.UtteranceEnd} when endpointing ends a segment. Default false. */
        public Builder utteranceEndEvents(boolean on) {
            this.utteranceEndEvents = on;
            return this;
        }

        /** Faults for the first opens, one per open in order; later opens are healthy. */
        public Builder faults(Fault... perOpen) {
            faults.addAll(List.of(perOpen));
            return this;
        }

        public FakeStt build() {
            return new FakeStt(this);
        }
    }

    static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + d);
        }
        return d;
    }

    static Duration nonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        return d;
    }
}
