package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.ProviderEvent;
import dev.parley.ProviderEvents;
import dev.parley.server.ParleyConfig;
import dev.parley.testkit.fakes.cartesia.FakeCartesiaServer;
import dev.parley.testkit.fakes.deepgram.FakeDeepgramServer;
import dev.parley.testkit.fakes.elevenlabs.FakeElevenLabsServer;
import dev.parley.testkit.fakes.openai.FakeOpenAiServer;
import dev.parley.testkit.fakes.openai.FakeReply;
import dev.parley.testkit.fakes.openai.FakeToolCall;
import dev.parley.testkit.fakes.openai.RecordedRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Every cloud provider as a loopback fake (Deepgram listen, two OpenAI-compatible servers, Cartesia, ElevenLabs),
 * a {@link CloudOrdering} pointed at them, and the scripted "model" both OpenAI fakes answer with, like the ordering
 * model would: an {@code add_item} tool call for an item the caller names, then a short confirmation.
 */
final class CloudPhoneRig implements AutoCloseable {
    static final String SIMPLE_MODEL = "gpt-4.1-mini";
    static final String COMPLEX_MODEL = "gpt-4.1";
    /** What the fake Deepgram hears for each stretch of caller speech, in order (per connection, so per call). */
    static final List<String> HEARD = List.of("I'd like a large pepperoni pizza.", "And a diet coke.", "That's all.");
    static final String PIZZA_ANSWER = "Sure, one large pepperoni pizza is on your order. Anything else?";
    static final String COKE_ANSWER = "A diet coke, got it. Anything else?";
    static final String BYE = "Thanks, your order is in. Goodbye!";

    /** A provider event as the test saw it, with the monotonic time it was reported. */
    record Seen(long nanos, ProviderEvent event) {}

    final FakeDeepgramServer deepgram;
    final FakeOpenAiServer primary;
    final FakeOpenAiServer secondary;
    final FakeCartesiaServer cartesia;
    final FakeElevenLabsServer elevenlabs;
    final CloudOrdering stack;
    final List<Seen> events = new CopyOnWriteArrayList<>();
    private final AutoCloseable listening;
    /** A one-shot change of the primary's next answer (a fault), given the scripted answer; empty: as scripted. */
    final AtomicReference<Function<FakeReply.Completion, Optional<FakeReply>>> primaryFault = new AtomicReference<>();
    /** Every chat request of both OpenAI fakes fails (500) while set. */
    volatile boolean allModelsDown;
    /** Run on the first model request of a call (to inject a fault at the right moment), then cleared. */
    final AtomicReference<Runnable> onFirstRequest = new AtomicReference<>();

    CloudPhoneRig() {
        deepgram = FakeDeepgramServer.builder().apiKey("dg-key").utterances(HEARD.toArray(String[]::new)).start();
        primary = FakeOpenAiServer.builder().apiKey("sk-primary").timeToFirstToken(Duration.ofMillis(150))
                .tokensPerSecond(100).responder(req -> answer(req, true)).start();
        secondary = FakeOpenAiServer.builder().apiKey("sk-secondary").timeToFirstToken(Duration.ofMillis(150))
                .tokensPerSecond(100).responder(req -> answer(req, false)).start();
        cartesia = FakeCartesiaServer.builder().apiKey("ct-key").speechPerCharacter(Duration.ofMillis(35))
                .stallFor(Duration.ofSeconds(4)).start();
        elevenlabs = FakeElevenLabsServer.builder().apiKey("el-key").speechPerCharacter(Duration.ofMillis(35)).start();
        Map<String, String> env = Map.ofEntries(
                Map.entry("DEEPGRAM_API_KEY", "dg-key"), Map.entry("DEEPGRAM_BASE_URL", deepgram.baseUrl()),
                Map.entry("OPENAI_API_KEY", "sk-primary"), Map.entry("OPENAI_BASE_URL", primary.baseUrl()),
                Map.entry("PARLEY_LLM_MODEL", SIMPLE_MODEL),
                Map.entry("CARTESIA_API_KEY", "ct-key"), Map.entry("CARTESIA_BASE_URL", cartesia.baseUrl()),
                Map.entry("ELEVENLABS_API_KEY", "el-key"), Map.entry("ELEVENLABS_BASE_URL", elevenlabs.baseUrl()),
                Map.entry(CloudOrdering.ENV_COMPLEX_MODEL, COMPLEX_MODEL),
                Map.entry(CloudOrdering.ENV_FALLBACK_BASE_URL, secondary.baseUrl()),
                Map.entry(CloudOrdering.ENV_FALLBACK_API_KEY, "sk-secondary"));
        listening = ProviderEvents.listen(e -> events.add(new Seen(System.nanoTime(), e)));
        stack = CloudOrdering.create(ParleyConfig.load(Optional.empty(), env), env, 2);
    }

    /** The scripted model: the same for both servers, except for the faults of the primary. */
    private FakeReply answer(JsonNode req, boolean isPrimary) {
        Runnable first = onFirstRequest.getAndSet(null);
        if (first != null) {
            first.run();
        }
        if (allModelsDown) {
            return FakeReply.serverError();
        }
        FakeReply.Completion scripted = scripted(req.path("messages"));
        if (isPrimary) {
            var fault = primaryFault.get();
            if (fault != null) {
                Optional<FakeReply> changed = fault.apply(scripted);
                if (changed.isPresent()) {
                    primaryFault.set(null);
                    return changed.get();
                }
            }
        }
        return scripted;
    }

    static FakeReply.Completion scripted(JsonNode messages) {
        JsonNode last = messages.get(messages.size() - 1);
        if (last.path("role").asText().equals("tool")) {
            String args = "";
            for (JsonNode m : messages) {
                for (JsonNode call : m.path("tool_calls")) {
                    if (call.path("id").asText().equals(last.path("tool_call_id").asText())) {
                        args = call.path("function").path("arguments").asText();
                    }
                }
            }
            return FakeReply.text(args.contains("pepperoni") ? PIZZA_ANSWER : COKE_ANSWER);
        }
        String said = last.path("content").asText().toLowerCase(Locale.ROOT);
        if (said.contains("pepperoni") || said.contains("pizza")) {
            return FakeReply.toolCalls(new FakeToolCall("call_pizza_" + messages.size(), "add_item",
                    "{\"item\":\"pepperoni pizza\",\"size\":\"large\",\"quantity\":1}"));
        }
        if (said.contains("coke")) {
            return FakeReply.toolCalls(new FakeToolCall("call_coke_" + messages.size(), "add_item",
                    "{\"item\":\"diet coke\",\"quantity\":1}"));
        }
        return FakeReply.text(BYE);
    }

    /** Chat requests both fakes received since {@code sinceNanos}, in order of arrival. */
    List<RecordedRequest> chatRequestsSince(long sinceNanos) {
        return java.util.stream.Stream.concat(primary.chatRequests().stream(), secondary.chatRequests().stream())
                .filter(r -> r.receivedAtNanos() >= sinceNanos)
                .sorted(java.util.Comparator.comparingLong(RecordedRequest::receivedAtNanos)).toList();
    }

    List<Seen> eventsSince(long sinceNanos) {
        return events.stream().filter(s -> s.nanos() >= sinceNanos).toList();
    }

    /**
     * Problems of a chat history as sent to a model: a tool call without a result, a result without an earlier call,
     * a result that does not directly follow its call's assistant message. Empty when valid.
     */
    static List<String> historyProblems(JsonNode messages) {
        List<String> problems = new java.util.ArrayList<>();
        Set<String> open = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (role.equals("tool")) {
                String id = m.path("tool_call_id").asText();
                if (!open.remove(id)) {
                    problems.add("tool result " + id + " answers no open call");
                }
                continue;
            }
            if (!open.isEmpty()) {
                problems.add("calls " + open + " unanswered before a " + role + " message");
                open.clear();
            }
            for (JsonNode call : m.path("tool_calls")) {
                String id = call.path("id").asText();
                if (!seen.add(id)) {
                    problems.add("call id " + id + " used twice");
                }
                open.add(id);
            }
        }
        if (!open.isEmpty()) {
            problems.add("calls " + open + " unanswered at the end");
        }
        return problems;
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        stack.close();
        deepgram.close();
        primary.close();
        secondary.close();
        cartesia.close();
        elevenlabs.close();
    }
}
