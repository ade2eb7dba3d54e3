package dev.parley.testkit.fakes.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Turns a scripted completion into the {@code data:} payloads a server of one {@link ChunkStyle} sends. */
final class SseScript {
    /** One SSE payload; {@code paced} frames wait one token interval before they are written. */
    record Frame(String data, boolean paced, boolean hasText) {}

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern TOKEN = Pattern.compile("\\s*[\\p{L}\\p{N}']+|\\s*[^\\s\\p{L}\\p{N}']|\\s+$");

    private final ChunkStyle style;
    private final boolean includeUsage;
    private final String id;
    private final String model;
    private final Random random;
    private final int promptTokens;
    private final List<Frame> frames = new ArrayList<>();
    private int completionTokens;

    private SseScript(ChunkStyle style, boolean includeUsage, String model, int promptTokens, long seed) {
        this.style = style;
        this.includeUsage = includeUsage;
        this.id = "chatcmpl-fake" + seed;
        this.model = model;
        this.promptTokens = promptTokens;
        this.random = new Random(seed);
    }

    static List<Frame> frames(FakeReply.Completion c, ChunkStyle style, boolean includeUsage, String model,
            OptionalInt maxTokens, int promptTokens, long seed) {
        var s = new SseScript(style, includeUsage, model, promptTokens, seed);
        s.build(c, maxTokens);
        return s.frames;
    }

    /** Splits text into token-sized pieces: words (with their leading space) and single punctuation marks. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private void build(FakeReply.Completion c, OptionalInt maxTokens) {
        List<String> tokens = tokens(c.text());
        boolean truncated = maxTokens.isPresent() && tokens.size() > maxTokens.getAsInt();
        if (truncated) {
            tokens = tokens.subList(0, maxTokens.getAsInt());
        }
        List<FakeToolCall> calls = truncated ? List.of() : c.toolCalls();
        @Nullable String finish = truncated ? "length" : calls.isEmpty() ? "stop" : "tool_calls";
        completionTokens = tokens.size();

        if (style == ChunkStyle.VLLM) {
            ObjectNode empty = chunk(null, null);
            empty.remove("usage");
            add(empty, false, false);
        }
        int first = 0;
        switch (style) {
            case OLLAMA -> {
                String t = tokens.isEmpty() ? "" : tokens.getFirst();
                add(chunk(delta("role", "assistant").put("content", t), null), false, !t.isEmpty());
                first = tokens.isEmpty() ? 0 : 1;
            }
            case LLAMA_CPP -> add(chunk(delta("role", "assistant").putNull("content"), null), false, false);
            case OPENAI, GROQ, VLLM -> add(chunk(delta("role", "assistant").put("content", "").putNull("refusal"), null),
                    false, false);
        }
        boolean lastWithFinish = style == ChunkStyle.VLLM && calls.isEmpty();
        for (int i = first; i < tokens.size(); i++) {
            boolean last = i == tokens.size() - 1;
            ObjectNode d = delta("content", tokens.get(i));
            if (style == ChunkStyle.OLLAMA) {
                d = delta("role", "assistant").put("content", tokens.get(i));
            }
            if (last && lastWithFinish) {
                add(chunk(d, finish), i > 0, true);
                lastWithFinish = false;
                finish = null;
            } else {
                add(chunk(d, null), i > 0, true);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            toolCall(i, calls.get(i));
        }
        finish(finish);
        frames.add(new Frame("[DONE]", false, false));
    }

    private void toolCall(int index, FakeToolCall call) {
        switch (style) {
            case GROQ, OLLAMA -> {
                ObjectNode frag = JSON.objectNode().put("id", call.id()).put("index", index).put("type", "function");
                frag.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                ObjectNode d = style == ChunkStyle.OLLAMA ? delta("role", "assistant").put("content", "") : JSON.objectNode();
                d.putArray("tool_calls").add(frag);
                add(chunk(d, null), true, false);
                completionTokens += 1 + call.argumentsJson().length() / 4;
            }
            case OPENAI, VLLM, LLAMA_CPP -> {
                List<String> pieces = pieces(call.argumentsJson());
                ObjectNode frag = JSON.objectNode().put("index", index);
                if (style != ChunkStyle.LLAMA_CPP) {
                    frag.put("id", style == ChunkStyle.VLLM ? "chatcmpl-tool-" + call.id() : call.id());
                    frag.put("type", "function");
                }
                String firstArgs = style == ChunkStyle.VLLM && !pieces.isEmpty() ? pieces.removeFirst() : "";
                frag.putObject("function").put("name", call.name()).put("arguments", firstArgs);
                add(chunk(toolDelta(frag), null), true, false);
                for (String p : pieces) {
                    ObjectNode f = JSON.objectNode().put("index", index);
                    f.putObject("function").put("arguments", p);
                    add(chunk(toolDelta(f), null), true, false);
                }
                completionTokens += 1 + pieces.size();
            }
        }
    }

    private void finish(@Nullable String reason) {
        switch (style) {
            case OPENAI, VLLM -> {
                if (reason != null) {
                    add(chunk(JSON.objectNode(), reason), false, false);
                }
                if (includeUsage) {
                    ObjectNode u = base();
                    u.putArray("choices");
                    u.set("usage", usage());
                    frames.add(new Frame(u.toString(), false, false));
                }
            }
            case GROQ -> {
                ObjectNode f = chunk(JSON.objectNode(), reason);
                ObjectNode usage = usage().put("queue_time", 0.012).put("prompt_time", 0.004)
                        .put("completion_time", 0.05).put("total_time", 0.066);
                ((ObjectNode) f.path("x_groq")).set("usage", usage);
                add(f, false, false);
            }
            case OLLAMA -> add(chunk(delta("role", "assistant").put("content", ""),
                    "tool_calls".equals(reason) ? "stop" : reason), false, false);
            case LLAMA_CPP -> {
                ObjectNode f = chunk(JSON.objectNode(), null);
                f.set("usage", usage());
                f.putObject("timings").put("prompt_n", promptTokens).put("predicted_n", completionTokens)
                        .put("predicted_per_second", 42.5);
                add(f, false, false);
            }
        }
    }

    /** Splits JSON text into pieces of 1 to 7 characters, never between the halves of a surrogate pair. */
    private List<String> pieces(String json) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < json.length()) {
            int end = Math.min(json.length(), i + 1 + random.nextInt(7));
            if (end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
                end++;
            }
            out.add(json.substring(i, end));
            i = end;
        }
        return out;
    }

    private void add(ObjectNode chunk, boolean paced, boolean hasText) {
        frames.add(new Frame(chunk.toString(), paced, hasText));
    }

    private ObjectNode base() {
        ObjectNode n = JSON.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", 1733000000L)
                .put("model", model);
        if (style == ChunkStyle.OPENAI) {
            n.put("system_fingerprint", "fp_fake").put("service_tier", "default");
        }
        return n;
    }

    private ObjectNode chunk(ObjectNode delta, @Nullable String finishReason) {
        ObjectNode n = base();
        ObjectNode choice = n.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (includeUsage && (style == ChunkStyle.OPENAI || style == ChunkStyle.VLLM)) {
            n.putNull("usage");
        }
        if (style == ChunkStyle.GROQ) {
            n.putObject("x_groq").put("id", "req_fake" + id.length());
        }
        return n;
    }

    private ObjectNode usage() {
        ObjectNode u = JSON.objectNode().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        if (style == ChunkStyle.OPENAI) {
            u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        }
        return u;
    }

    private static ObjectNode delta(String key, String value) {
        return JSON.objectNode().put(key, value);
    }

    private static ObjectNode toolDelta(ObjectNode fragment) {
        ObjectNode d = JSON.objectNode();
        ArrayNode calls = d.putArray("tool_calls");
        calls.add(fragment);
        return d;
    }
}
