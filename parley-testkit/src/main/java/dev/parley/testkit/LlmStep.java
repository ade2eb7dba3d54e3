package dev.parley.testkit;

import dev.parley.spi.LlmEvent;
import dev.parley.spi.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One scripted model step for {@link FakeLlm}: text deltas and/or tool calls. Unless built with
 * {@link #events}, the fake appends {@code Usage} and {@code Finished} ("stop", or "tool_calls" when
 * the step calls tools). Text is streamed one word (with its trailing space) per token.
 */
public final class LlmStep {
    private final List<LlmEvent> content;
    private final @Nullable String finishReason;
    private final @Nullable Duration timeToFirstToken;

    private LlmStep(List<LlmEvent> content, @Nullable String finishReason, @Nullable Duration ttft) {
        this.content = List.copyOf(content);
        this.finishReason = finishReason;
        this.timeToFirstToken = ttft;
    }

    /** A text answer, then Usage and Finished("stop"). */
    public static LlmStep text(String text) {
        return new LlmStep(tokens(text), "stop", null);
    }

    /** One tool call, then Usage and Finished("tool_calls"). */
    public static LlmStep toolCall(String id, String name, String argumentsJson) {
        return toolCalls(new ToolCall(id, name, argumentsJson));
    }

    /** Several tool calls in one step. */
    public static LlmStep toolCalls(ToolCall... calls) {
        return textAndTools("", calls);
    }

    /** Text (e.g. "One moment.") then tool calls in the same step. */
    public static LlmStep textAndTools(String text, ToolCall... calls) {
        var events = new ArrayList<LlmEvent>(tokens(text));
        for (ToolCall c : calls) {
            events.add(new LlmEvent.ToolCallRequested(c));
        }
        return new LlmStep(events, calls.length == 0 ? "stop" : "tool_calls", null);
    }

    /** Exactly these events, paced one per token, nothing appended (so no Finished unless given). */
    public static LlmStep events(LlmEvent... events) {
        return new LlmStep(List.of(events), null, null);
    }

    /** The same step with its own time to first token. */
    public LlmStep withTimeToFirstToken(Duration ttft) {
        return new LlmStep(content, finishReason, FakeStt.nonNegative(ttft));
    }

    /** Splits text into word tokens that keep their trailing whitespace; concatenated they give the text. */
    public static List<LlmEvent> tokens(String text) {
        var out = new ArrayList<LlmEvent>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            out.add(new LlmEvent.TextDelta(text.substring(start, i)));
            start = i;
        }
        return out;
    }

    /** The content events (text deltas, tool calls; or all events for {@link #events}). */
    public List<LlmEvent> content() {
        return content;
    }

    /** The finish reason the fake appends, empty for {@link #events} steps. */
    public Optional<String> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    public Optional<Duration> timeToFirstToken() {
        return Optional.ofNullable(timeToFirstToken);
    }

    /** The text this step speaks. */
    public String text() {
        var sb = new StringBuilder();
        for (LlmEvent e : content) {
            if (e instanceof LlmEvent.TextDelta(String t)) {
                sb.append(t);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "LlmStep" + content + (finishReason == null ? "" : " finish=" + finishReason);
    }
}
