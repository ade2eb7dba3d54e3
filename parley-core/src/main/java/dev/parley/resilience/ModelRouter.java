package dev.parley.resilience;

import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a model per step: the cheap fast one for simple turns, the larger one for complex turns, by a
 * {@link RoutingRule}. Each choice is reported as a "routing" {@link ProviderEvent} (provider: the chosen model,
 * detail: the complexity and the rule's reason), so it lands in the call's journal and metrics. Either model may
 * itself be a {@link FallbackLanguageModel}.
 *
 * <pre>{@code
 * LanguageModel llm = ModelRouter.builder().simple(miniModel).complex(largeModel)
 *         .rule(RoutingRule.builder().maxSimpleWords(15).keywords("refund", "complaint").build()).build();
 * }</pre>
 */
public final class ModelRouter implements LanguageModel {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRouter.class);

    private final LanguageModel simple;
    private final LanguageModel complex;
    private final RoutingRule rule;
    private final String name;

    private ModelRouter(LanguageModel simple, LanguageModel complex, RoutingRule rule, String name) {
        this.simple = simple;
        this.complex = complex;
        this.rule = rule;
        this.name = name;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rule's decision for a request, without streaming or reporting (for tests and dashboards). */
    public RoutingRule.Decision decide(LlmRequest request) {
        return rule.decide(request);
    }

    @Override
    public LlmStream stream(LlmRequest request) {
        RoutingRule.Decision d = rule.decide(request);
        LanguageModel chosen = d.complexity() == RoutingRule.Complexity.COMPLEX ? complex : simple;
        String detail = d.complexity().name().toLowerCase(java.util.Locale.ROOT) + ": " + d.reason();
        LOG.debug("call {}: routing to {} ({})", request.callId(), chosen.name(), detail);
        ProviderEvents.report(request.callId(), new ProviderEvent("routing", chosen.name(), detail));
        return chosen.stream(request);
    }

    @Override
    public String name() {
        return name;
    }

    /** Builder; both models are required. */
    public static final class Builder {
        private @Nullable LanguageModel simple;
        private @Nullable LanguageModel complex;
        private RoutingRule rule = RoutingRule.standard();
        private @Nullable String name;

        private Builder() {}

        /** The cheap fast model for simple turns. */
        public Builder simple(LanguageModel model) {
            this.simple = model;
            return this;
        }

        /** The larger model for complex turns. */
        public Builder complex(LanguageModel model) {
            this.complex = model;
            return this;
        }

        /** The rule. Default {@link RoutingRule#standard()}. */
        public Builder rule(RoutingRule rule) {
            this.rule = rule;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public ModelRouter build() {
            if (simple == null || complex == null) {
                throw new IllegalStateException("a model router needs a simple and a complex model");
            }
            String n = name != null ? name : "router[" + simple.name() + "|" + complex.name() + "]";
            return new ModelRouter(simple, complex, rule, n);
        }
    }
}
