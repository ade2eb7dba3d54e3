package dev.parley.resilience;

import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import java.time.Duration;
import java.util.List;

/**
 * A chain of recognisers tried in order (for example Deepgram, then the local recogniser), each behind its own
 * {@link CircuitBreaker}. The stream keeps the last {@code replay} of caller audio (default 3 s) in a ring buffer;
 * when the current recogniser's stream fails (an error, or a stall caught by {@link Deadlines}), it opens the next
 * one (or retries the same one, with backoff, for retryable errors), sends it the buffered audio first and then the
 * live audio, so the utterance in progress is not lost. Audio already covered by a {@code Final} is dropped from the
 * buffer, so a finished utterance is not recognised twice. Event times stay offsets into all audio sent to this
 * stream, across providers. A pending {@code finalizeTurn()} or {@code finish()} is repeated on the new stream.
 *
 * <p>The first stream is opened by {@code open} (with the same retries and failover); when every provider failed,
 * {@code open} or {@code next()} reports "all-failed" and throws a non-retryable {@link dev.parley.ParleyException}.
 */
public final class FallbackSpeechToText implements SpeechToText {
    private final Chain<SpeechToText> chain;
    private final Duration replay;
    private final String name;

    private FallbackSpeechToText(Builder b) {
        this.chain = b.chain.build();
        this.replay = b.replay;
        this.name = b.name != null ? b.name : "fallback" + chain.names();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SttStream open(SttRequest request) {
        var stream = new FallbackSttStream(request, chain, replay, name);
        stream.start();
        return stream;
    }

    @Override
    public String name() {
        return name;
    }

    public List<CircuitBreaker> breakers() {
        return chain.breakers();
    }

    /** Builder: recognisers in order of preference. */
    public static final class Builder {
        private final Chain.Builder<SpeechToText> chain = new Chain.Builder<>(SpeechToText::name);
        private Duration replay = Duration.ofSeconds(3);
        private @org.jspecify.annotations.Nullable String name;

        private Builder() {}

        public Builder add(SpeechToText stt) {
            chain.add(stt, null);
            return this;
        }

        public Builder add(SpeechToText stt, CircuitBreaker breaker) {
            chain.add(stt, breaker);
            return this;
        }

        /** Retries on the same provider. Default {@link RetryPolicy#defaults()}. */
        public Builder retry(RetryPolicy retry) {
            chain.retry = retry;
            return this;
        }

        /** Deadlines for every provider stream. Default none. */
        public Builder deadlines(Deadlines deadlines) {
            chain.deadlines = deadlines;
            return this;
        }

        /** How much recent caller audio is replayed to a new stream. Default 3 s. */
        public Builder replay(Duration replay) {
            this.replay = RetryPolicy.nonNegative(replay);
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public FallbackSpeechToText build() {
            return new FallbackSpeechToText(this);
        }
    }
}
