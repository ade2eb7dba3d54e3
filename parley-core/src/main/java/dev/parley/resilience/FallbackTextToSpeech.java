package dev.parley.resilience;

import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.util.List;

/**
 * A chain of synthesisers tried in order (for example Cartesia, then ElevenLabs, then the local TTS), each behind its
 * own {@link CircuitBreaker}. The stream remembers the text of every piece whose {@code Flushed} has not arrived yet;
 * when the current provider's stream fails (an error, or a stall caught by {@link Deadlines}), it opens the next
 * provider's stream and sends that text again, with the same flushes, so the caller hears the rest of the utterance in
 * the fallback voice. When the provider gave word timings, words whose audio was already delivered are not sent again;
 * otherwise the unfinished piece is repeated from its start. Word timings stay offsets into all audio this stream
 * delivered, across providers.
 *
 * <p>A retryable error before any audio of the unfinished pieces was delivered is retried on the same provider (same
 * voice) first. When every provider failed, {@code next()} reports "all-failed" and throws a non-retryable
 * {@link dev.parley.ParleyException}: the application should hand the caller over or hang up.
 */
public final class FallbackTextToSpeech implements TextToSpeech {
    private final Chain<TextToSpeech> chain;
    private final String filler;
    private final String name;

    private FallbackTextToSpeech(Builder b) {
        this.chain = b.chain.build();
        this.filler = b.filler;
        this.name = b.name != null ? b.name : "fallback" + chain.names();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TtsStream open(TtsRequest request) {
        return new FallbackTtsStream(request, chain, filler, name);
    }

    @Override
    public String name() {
        return name;
    }

    /** The breakers, in chain order. */
    public List<CircuitBreaker> breakers() {
        return chain.breakers();
    }

    /** Builder: synthesisers in order of preference. */
    public static final class Builder {
        private final Chain.Builder<TextToSpeech> chain = new Chain.Builder<>(TextToSpeech::name);
        private String filler = "";
        private @org.jspecify.annotations.Nullable String name;

        private Builder() {}

        public Builder add(TextToSpeech tts) {
            chain.add(tts, null);
            return this;
        }

        public Builder add(TextToSpeech tts, CircuitBreaker breaker) {
            chain.add(tts, breaker);
            return this;
        }

        /** Retries on the same provider. Default {@link RetryPolicy#defaults()}. */
        public Builder retry(RetryPolicy retry) {
            chain.retry = retry;
            return this;
        }

        /** Deadlines for every provider stream (first audio after a flush, gaps). Default none. */
        public Builder deadlines(Deadlines deadlines) {
            chain.deadlines = deadlines;
            return this;
        }

        /** Text the fallback voice says before the rest of an interrupted utterance (e.g. "Sorry. "). Default none. */
        public Builder filler(String filler) {
            this.filler = filler;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public FallbackTextToSpeech build() {
            return new FallbackTextToSpeech(this);
        }
    }
}
