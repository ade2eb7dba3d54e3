package dev.parley.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The configured fallback chain of one SPI: providers with their breakers, the retry policy and stage deadlines. */
final class Chain<P> {
    private final List<Failover.Link<P>> links;
    private final RetryPolicy retry;
    private final @Nullable Deadlines deadlines;

    private Chain(List<Failover.Link<P>> links, RetryPolicy retry, @Nullable Deadlines deadlines) {
        this.links = List.copyOf(links);
        this.retry = retry;
        this.deadlines = deadlines;
    }

    Failover<P> walk(String callId) {
        return new Failover<>(links, retry, callId);
    }

    Optional<Deadlines> deadlines() {
        return Optional.ofNullable(deadlines);
    }

    List<CircuitBreaker> breakers() {
        return links.stream().map(Failover.Link::breaker).toList();
    }

    List<String> names() {
        return links.stream().map(Failover.Link::name).toList();
    }

    /** The mutable part of the three fallback builders. */
    static final class Builder<P> {
        private final Function<P, String> naming;
        private final List<P> providers = new ArrayList<>();
        private final List<@Nullable CircuitBreaker> breakers = new ArrayList<>();
        RetryPolicy retry = RetryPolicy.defaults();
        @Nullable Deadlines deadlines;

        Builder(Function<P, String> naming) {
            this.naming = naming;
        }

        void add(P provider, @Nullable CircuitBreaker breaker) {
            providers.add(provider);
            breakers.add(breaker);
        }

        Chain<P> build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("a fallback chain needs at least one provider");
            }
            var links = new ArrayList<Failover.Link<P>>();
            var taken = new ArrayList<String>();
            for (int i = 0; i < providers.size(); i++) {
                P p = providers.get(i);
                String name = Failover.linkName(naming.apply(p), i, taken);
                taken.add(name);
                CircuitBreaker b = breakers.get(i);
                links.add(new Failover.Link<>(p, name, b != null ? b : CircuitBreaker.of(name)));
            }
            return new Chain<>(links, retry, deadlines);
        }
    }
}
