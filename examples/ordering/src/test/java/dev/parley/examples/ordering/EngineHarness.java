package dev.parley.examples.ordering;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.Tool;
import dev.parley.spi.ToolCall;
import dev.parley.spi.ToolContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plays a call the way the conductor's reply loop does, without audio: caller text → model step → run the tools it
 * asked for → feed the results → model step … until the model speaks. Keeps the history as the model sees it.
 */
final class EngineHarness {
    static final int MAX_STEPS = 4;

    /** One agent turn: what it said, the tool calls it made and their results, and the text pieces it streamed. */
    record Turn(String text, List<ToolCall> calls, List<String> results, List<String> deltas) {
        List<String> toolNames() {
            return calls.stream().map(ToolCall::name).toList();
        }
    }

    final Menu menu;
    final CartStore carts;
    final LanguageModel model;
    final String callId;
    final List<String> transfers = new ArrayList<>();
    private final Map<String, Tool> tools;
    private final List<ChatMessage> history = new ArrayList<>();

    EngineHarness(Menu menu, CartStore carts, LanguageModel model, String callId) {
        this.menu = menu;
        this.carts = carts;
        this.model = model;
        this.callId = callId;
        this.tools = OrderTools.create(menu, carts).stream().collect(Collectors.toMap(Tool::name, Function.identity()));
    }

    /** A fresh call against the Tony's Pizza menu, an in-memory cart store and the offline engine. */
    static EngineHarness tonys() {
        Menu menu = TestMenus.TONYS;
        return new EngineHarness(menu, new InMemoryCartStore(), OrderEngine.offline(menu), "CA-test");
    }

    List<ChatMessage> history() {
        return List.copyOf(history);
    }

    void add(ChatMessage message) {
        history.add(message);
    }

    /** The caller says something; returns the agent's whole turn. */
    Turn say(String callerText) {
        history.add(new ChatMessage.User(callerText));
        return respond();
    }

    /** The caller presses keys (delivered as a user message, as the conductor does for DTMF). */
    Turn press(String keys) {
        return say("Caller pressed keys: " + keys);
    }

    /** Runs model steps until the model speaks. */
    Turn respond() {
        List<ToolCall> allCalls = new ArrayList<>();
        List<String> allResults = new ArrayList<>();
        for (int step = 0; step < MAX_STEPS; step++) {
            StringBuilder text = new StringBuilder();
            List<String> deltas = new ArrayList<>();
            List<ToolCall> calls = new ArrayList<>();
            String finish = "";
            try (LlmStream stream = model.stream(new LlmRequest(callId, "You take phone orders.", history,
                    tools.values().stream().map(Tool::definition).toList()))) {
                for (Optional<LlmEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                    switch (e.get()) {
                        case LlmEvent.TextDelta(String t) -> {
                            text.append(t);
                            deltas.add(t);
                        }
                        case LlmEvent.ToolCallRequested(ToolCall call) -> calls.add(call);
                        case LlmEvent.Usage u -> { }
                        case LlmEvent.Finished(String reason) -> finish = reason;
                    }
                }
            }
            if (calls.isEmpty()) {
                if (!finish.equals("stop")) {
                    throw new AssertionError("a text step must finish with stop, got " + finish);
                }
                history.add(ChatMessage.Assistant.text(text.toString()));
                return new Turn(text.toString(), allCalls, allResults, deltas);
            }
            if (!finish.equals("tool_calls")) {
                throw new AssertionError("a tool step must finish with tool_calls, got " + finish);
            }
            history.add(new ChatMessage.Assistant(text.toString(), calls, false));
            for (ToolCall call : calls) {
                String result = run(call);
                allCalls.add(call);
                allResults.add(result);
                history.add(new ChatMessage.ToolResult(call.id(), call.name(), result));
            }
        }
        throw new AssertionError("the model kept calling tools for " + MAX_STEPS + " steps");
    }

    String run(ToolCall call) {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            throw new AssertionError("unknown tool " + call.name());
        }
        try {
            return tool.handler().invoke(call.argumentsJson(), context(call.id()));
        } catch (Exception e) {
            throw new AssertionError("tool " + call.name() + " threw", e);
        }
    }

    ToolContext context(String toolCallId) {
        return new ToolContext() {
            @Override
            public String callId() {
                return callId;
            }

            @Override
            public String toolCallId() {
                return toolCallId;
            }

            @Override
            public boolean cancelled() {
                return false;
            }

            @Override
            public void say(String text) {}

            @Override
            public void transferToHuman(String reason) {
                transfers.add(reason);
            }

            @Override
            public void endCall(String reason) {}
        };
    }

    /** Marks the agent's last words as cut by the caller after {@code heard}. */
    void interruptLastReply(String heard) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i) instanceof ChatMessage.Assistant a && a.toolCalls().isEmpty()) {
                history.set(i, new ChatMessage.Assistant(heard, List.of(), true));
                return;
            }
        }
        throw new AssertionError("no assistant reply to interrupt");
    }

    Cart cart() {
        return carts.snapshot(OrderTools.defaultCartId(callId));
    }

    /** The cart as "2 large pepperoni_pizza [extra_cheese]" lines, for exact assertions. */
    List<String> lines() {
        return cart().lines().stream().map(EngineHarness::describe).toList();
    }

    static String describe(CartLine l) {
        String modifiers = l.modifierIds().isEmpty() ? "" : " " + l.modifierIds();
        return l.quantity() + " " + l.size() + " " + l.itemId() + modifiers;
    }
}
