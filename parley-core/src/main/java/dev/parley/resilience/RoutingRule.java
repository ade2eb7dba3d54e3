package dev.parley.resilience;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, per model step, whether a turn is simple (a cheap fast model will do) or complex (use the larger one).
 * Any function will do; {@link #standard()} and {@link #builder()} give a rule over the turn's shape:
 * <ul>
 *   <li>the caller's last message has more than {@code maxSimpleWords} words → complex;</li>
 *   <li>the turn already has tool results to interpret (when {@code toolResultsAreComplex}) → complex;</li>
 *   <li>the turn has made {@code complexToolCalls} or more tool calls → complex;</li>
 *   <li>the caller's last message contains one of the {@code keywords} → complex;</li>
 *   <li>otherwise simple.</li>
 * </ul>
 * The reason is journalled: it names the rule that fired and never quotes the caller's words (only a configured
 * keyword).
 */
@FunctionalInterface
public interface RoutingRule {
    /** How hard a turn looks. */
    enum Complexity { SIMPLE, COMPLEX }

    /** A routing verdict and why. */
    record Decision(Complexity complexity, String reason) {}

    Decision decide(LlmRequest request);

    /** The standard rule with its defaults. */
    static RoutingRule standard() {
        return builder().build();
    }

    static Builder builder() {
        return new Builder();
    }

    /** Builder of the standard rule. Defaults: 20 words, tool results complex, 3 tool calls, a few keywords. */
    final class Builder {
        private int maxSimpleWords = 20;
        private boolean toolResultsAreComplex = true;
        private int complexToolCalls = 3;
        private Set<String> keywords = Set.of("why", "explain", "compare", "complaint", "refund", "wrong", "problem",
                "difference", "recommend");

        private Builder() {}

        /** The longest last caller message still called simple. */
        public Builder maxSimpleWords(int words) {
            if (words < 0) {
                throw new IllegalArgumentException("words must be >= 0");
            }
            this.maxSimpleWords = words;
            return this;
        }

        /** Whether a turn with tool results to interpret is complex. */
        public Builder toolResultsAreComplex(boolean on) {
            this.toolResultsAreComplex = on;
            return this;
        }

        /** Tool calls in the current turn from which it is complex. */
        public Builder complexToolCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("calls must be >= 1");
            }
            this.complexToolCalls = calls;
            return this;
        }

        /** Words (case-insensitive, whole words) in the caller's last message that make a turn complex. */
        public Builder keywords(String... words) {
            this.keywords = Set.of(words).stream().map(w -> w.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
            return this;
        }

        public RoutingRule build() {
            int maxWords = maxSimpleWords;
            boolean results = toolResultsAreComplex;
            int calls = complexToolCalls;
            Set<String> kw = keywords;
            return request -> decide(request, maxWords, results, calls, kw);
        }

        private static Decision decide(LlmRequest request, int maxWords, boolean results, int calls, Set<String> kw) {
            List<ChatMessage> messages = request.messages();
            int lastUser = -1;
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i) instanceof ChatMessage.User) {
                    lastUser = i;
                    break;
                }
            }
            int toolCalls = 0;
            int toolResults = 0;
            for (int i = lastUser + 1; i < messages.size(); i++) {
                switch (messages.get(i)) {
                    case ChatMessage.Assistant a -> toolCalls += a.toolCalls().size();
                    case ChatMessage.ToolResult r -> toolResults++;
                    case ChatMessage.User u -> { }
                    case ChatMessage.System s -> { }
                }
            }
            String text = lastUser < 0 ? "" : ((ChatMessage.User) messages.get(lastUser)).text();
            String[] words = text.isBlank() ? new String[0] : text.strip().split("\\s+");
            if (words.length > maxWords) {
                return new Decision(Complexity.COMPLEX, "long: " + words.length + " words > " + maxWords);
            }
            if (results && toolResults > 0) {
                return new Decision(Complexity.COMPLEX, "tool results: " + toolResults);
            }
            if (toolCalls >= calls) {
                return new Decision(Complexity.COMPLEX, "tool calls: " + toolCalls + " >= " + calls);
            }
            for (String w : words) {
                String bare = w.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']", "");
                if (kw.contains(bare)) {
                    return new Decision(Complexity.COMPLEX, "keyword: " + bare);
                }
            }
            return new Decision(Complexity.SIMPLE, "short: " + words.length + " words, " + toolCalls + " tool calls");
        }
    }
}
