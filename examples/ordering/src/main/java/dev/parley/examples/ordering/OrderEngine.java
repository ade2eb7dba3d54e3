package dev.parley.examples.ordering;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * An offline, deterministic order-taking "LLM" for a {@link Menu}. It reads the whole history on every step, like a
 * chat model: when the last message is the caller's it answers with tool calls ({@code Finished("tool_calls")}) or,
 * when no tool is needed, with a short question or greeting ({@code Finished("stop")}); when the last messages are
 * tool results it speaks the answer built from them. Text comes as a few word-group {@link LlmEvent.TextDelta}s.
 *
 * <p>It uses the tools of {@link OrderTools} by name and needs their results in the history (it learns the cart from
 * them). What the agent last asked is read from the words the caller actually heard, so an interrupted question does
 * not count as asked. Keys: 1 yes, 2 no, 0 a person, 9 read the order back.
 *
 * <p>Tool call ids are unique within a call and a function of the caller's turn number and words, so a speculative
 * step re-run on the same words reuses the same idempotency keys.
 */
public final class OrderEngine implements LanguageModel {
    private static final int WORDS_PER_DELTA = 3;

    private final Menu menu;
    private final TurnPolicy policy;
    private final ToolReplies toolReplies;
    private final Replies replies;

    private OrderEngine(Menu menu) {
        this.menu = menu;
        this.replies = new Replies(menu);
        this.policy = new TurnPolicy(menu, new UtteranceParser(menu), replies);
        this.toolReplies = new ToolReplies(menu, replies);
    }

    /** An engine for the given menu. */
    public static OrderEngine offline(Menu menu) {
        return new OrderEngine(menu);
    }

    /** An engine for the bundled Tony's Pizza menu. */
    public static OrderEngine offline() {
        return new OrderEngine(Menu.tonysPizza());
    }

    public Menu menu() {
        return menu;
    }

    /** Example caller sentences for a recogniser's language model: {@link Menu#phrases()}. */
    public List<String> corpus() {
        return menu.phrases();
    }

    @Override
    public String name() {
        return "offline-order-engine";
    }

    @Override
    public LlmStream stream(LlmRequest request) {
        return new ScriptedStream(step(request.messages()));
    }

    List<LlmEvent> step(List<ChatMessage> messages) {
        Conversation c = new Conversation(messages);
        int caller = c.lastCallerIndex();
        if (messages.isEmpty()) {
            return speak(replies.greeting(), messages);
        }
        if (messages.getLast() instanceof ChatMessage.ToolResult) {
            int start = messages.size();
            List<ChatMessage.ToolResult> results = new ArrayList<>();
            while (start > 0 && messages.get(start - 1) instanceof ChatMessage.ToolResult r) {
                results.addFirst(r);
                start--;
            }
            List<ToolCall> calls = start > 0 && messages.get(start - 1) instanceof ChatMessage.Assistant a
                    ? a.toolCalls() : List.of();
            Intent intent = caller >= 0 ? policy.intentAt(c, caller) : new Intent.Unknown();
            return speak(toolReplies.answer(intent, ToolReplies.outcomes(results, calls)), messages);
        }
        if (caller < 0) {
            return speak(replies.greeting(), messages);
        }
        if (caller != messages.size() - 1) {
            return speak("Are you still there? What else can I get for you?", messages);
        }
        Plan plan = policy.decide(c, caller);
        if (plan.calls().isEmpty()) {
            return speak(plan.text(), messages);
        }
        String turn = c.callerTurns(caller) + "_" + Integer.toHexString(Conversation.text(messages.get(caller)).hashCode());
        List<LlmEvent> events = new ArrayList<>();
        int k = 0;
        for (Plan.Call call : plan.calls()) {
            String id = "call_" + turn + "_" + (++k);
            events.add(new LlmEvent.ToolCallRequested(new ToolCall(id, call.name(), call.args().toString())));
        }
        events.add(new LlmEvent.Usage(promptTokens(messages), 12 * plan.calls().size()));
        events.add(new LlmEvent.Finished("tool_calls"));
        return events;
    }

    private static List<LlmEvent> speak(String text, List<ChatMessage> messages) {
        List<LlmEvent> events = new ArrayList<>();
        String[] words = text.split(" ");
        StringBuilder piece = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            piece.append(words[i]);
            if (i < words.length - 1) {
                piece.append(' ');
            }
            if ((i + 1) % WORDS_PER_DELTA == 0 || i == words.length - 1) {
                events.add(new LlmEvent.TextDelta(piece.toString()));
                piece.setLength(0);
            }
        }
        events.add(new LlmEvent.Usage(promptTokens(messages), words.length));
        events.add(new LlmEvent.Finished("stop"));
        return events;
    }

    private static int promptTokens(List<ChatMessage> messages) {
        return messages.stream().mapToInt(m -> Conversation.text(m).split("\\s+").length).sum();
    }
}
