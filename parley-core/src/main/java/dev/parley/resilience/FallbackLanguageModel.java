package dev.parley.resilience;

import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import java.util.List;

/**
 * A chain of language models tried in order, each behind its own {@link CircuitBreaker}. For one request:
 * <ul>
 *   <li>a retryable error before the current model delivered any event is retried on the same model with the
 *       {@link RetryPolicy}'s jittered backoff; other errors, exhausted retries and open breakers move on to the next
 *       model;</li>
 *   <li>a failure after text was delivered (mid-turn) never repeats the model: the stream emits the {@code filler}
 *       ("Sorry, one moment. ") as a text delta, then streams the next model's answer to the same request;</li>
 *   <li>a failure after a tool call was delivered ends the step with {@code Finished("tool_calls")} instead (re-asking
 *       could request the same side effect twice); the reply runs the tools and its next step goes down the chain
 *       again;</li>
 *   <li>when every model failed, the stream emits the {@code apology} and {@code Finished("error")} and reports an
 *       "all-failed" event, so the application can hand the caller to a human or hang up politely.</li>
 * </ul>
 * Every error, retry, failover and breaker opening is reported through {@link dev.parley.ProviderEvents}; stalls are
 * reported by {@link Deadlines} when the builder is given some. Build one per agent: the breakers are shared by all
 * calls.
 *
 * <pre>{@code
 * LanguageModel llm = FallbackLanguageModel.builder()
 *         .add(openAi).add(openAiSecondBaseUrl)
 *         .deadlines(Deadlines.builder().firstOutput(Duration.ofSeconds(2)).maxGap(Duration.ofSeconds(1)).build())
 *         .build();
 * }</pre>
 */
public final class FallbackLanguageModel implements LanguageModel {
    /** The default mid-turn filler. */
    public static final String DEFAULT_FILLER = "Sorry, one moment. ";
    /** The default last words when every model failed. */
    public static final String DEFAULT_APOLOGY =
            "I'm sorry, I'm having trouble right now. Let me transfer you to a colleague.";

    private final Chain<LanguageModel> chain;
    private final String filler;
    private final String apology;
    private final String name;

    private FallbackLanguageModel(Builder b) {
        this.chain = b.chain.build();
        this.filler = b.filler;
        this.apology = b.apology;
        this.name = b.name != null ? b.name : "fallback" + chain.names();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public LlmStream stream(LlmRequest request) {
        return new FallbackLlmStream(request, chain, filler, apology, name);
    }

    @Override
    public String name() {
        return name;
    }

    /** The breakers, in chain order (for health checks and tests). */
    public List<CircuitBreaker> breakers() {
        return chain.breakers();
    }

    /** Builder: models in order of preference. */
    public static final class Builder {
        private final Chain.Builder<LanguageModel> chain = new Chain.Builder<>(LanguageModel::name);
        private String filler = DEFAULT_FILLER;
        private String apology = DEFAULT_APOLOGY;
        private @org.jspecify.annotations.Nullable String name;

        private Builder() {}

        /** Adds a model with a default breaker ({@link CircuitBreaker#of}). */
        public Builder add(LanguageModel model) {
            chain.add(model, null);
            return this;
        }

        /** Adds a model with its own breaker. */
        public Builder add(LanguageModel model, CircuitBreaker breaker) {
            chain.add(model, breaker);
            return this;
        }

        /** Retries on the same model. Default {@link RetryPolicy#defaults()}. */
        public Builder retry(RetryPolicy retry) {
            chain.retry = retry;
            return this;
        }

        /** Deadlines for every model stream (a stall then fails over like an error). Default none. */
        public Builder deadlines(Deadlines deadlines) {
            chain.deadlines = deadlines;
            return this;
        }

        /** Text spoken when a model fails mid-answer, before the next model's answer. Default {@value #DEFAULT_FILLER}. */
        public Builder filler(String filler) {
            this.filler = filler;
            return this;
        }

        /** Text spoken when every model failed. Default {@value #DEFAULT_APOLOGY}. */
        public Builder apology(String apology) {
            this.apology = apology;
            return this;
        }

        /** The name in logs and reports. Default "fallback[a, b]". */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public FallbackLanguageModel build() {
            return new FallbackLanguageModel(this);
        }
    }
}
