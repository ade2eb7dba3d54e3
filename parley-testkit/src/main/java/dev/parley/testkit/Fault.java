package dev.parley.testkit;

import dev.parley.ParleyException;

/**
 * A failure a fake injects into one stream it opens. Positions count the events the stream has
 * delivered (STT events, LLM events, TTS events), so {@code failAfter(0, e)} fails before the
 * first token and {@code stallAfter(3)} goes silent after three events.
 */
public sealed interface Fault {
    /** A healthy stream. */
    record None() implements Fault {}

    /** {@code open}/{@code stream} itself throws {@code error}. */
    record FailOnOpen(ParleyException error) implements Fault {}

    /** The stream delivers {@code events} events, then {@code next()} throws {@code error}. */
    record FailAfter(int events, ParleyException error) implements Fault {
        public FailAfter {
            if (events < 0) {
                throw new IllegalArgumentException("events must be >= 0");
            }
        }
    }

    /** The stream delivers {@code events} events, then nothing more, ever: {@code next()} blocks until close. */
    record StallAfter(int events) implements Fault {
        public StallAfter {
            if (events < 0) {
                throw new IllegalArgumentException("events must be >= 0");
            }
        }
    }

    static Fault none() {
        return new None();
    }

    static Fault failOnOpen(ParleyException error) {
        return new FailOnOpen(error);
    }

    static Fault failAfter(int events, ParleyException error) {
        return new FailAfter(events, error);
    }

    static Fault stallAfter(int events) {
        return new StallAfter(events);
    }

    /** A retryable provider error with the given message, for use with the factories above. */
    static ParleyException providerError(String message) {
        return new ParleyException(message, true, null);
    }
}
