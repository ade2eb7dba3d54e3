package dev.parley.testkit.fakes.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the fake answers to one chat-completions request. */
public sealed interface FakeReply {

    /**
     * A completion streamed as SSE (or returned whole when the request does not stream).
     *
     * @param text the assistant text (may be empty)
     * @param toolCalls tool calls sent after the text
     * @param fault an optional disturbance of the stream
     */
    record Completion(String text, List<FakeToolCall> toolCalls, Optional<StreamFault> fault) implements FakeReply {
        public Completion {
            toolCalls = List.copyOf(toolCalls);
        }

        /** The same completion disturbed by {@code fault}. */
        public Completion with(StreamFault fault) {
            return new Completion(text, toolCalls, Optional.of(fault));
        }
    }

    /**
     * A non-2xx answer with an OpenAI error body {@code {"error":{message,type,param,code}}}.
     *
     * @param headers extra response headers, for example {@code retry-after}
     */
    record HttpError(int status, String type, String code, String message, Map<String, String> headers)
            implements FakeReply {
        public HttpError {
            headers = Map.copyOf(headers);
        }
    }

    static Completion text(String text) {
        return new Completion(text, List.of(), Optional.empty());
    }

    static Completion toolCalls(FakeToolCall... calls) {
        return new Completion("", List.of(calls), Optional.empty());
    }

    static Completion textAndToolCalls(String text, FakeToolCall... calls) {
        return new Completion(text, List.of(calls), Optional.empty());
    }

    /** 401 as OpenAI sends it for a wrong key. */
    static HttpError unauthorized() {
        return new HttpError(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.",
                Map.of());
    }

    /** 429 with {@code retry-after} (whole seconds) or {@code retry-after-ms} (otherwise). */
    static HttpError rateLimited(Duration retryAfter) {
        Map<String, String> headers = retryAfter.toMillis() % 1000 == 0
                ? Map.of("retry-after", Long.toString(retryAfter.toSeconds()))
                : Map.of("retry-after-ms", Long.toString(retryAfter.toMillis()));
        return new HttpError(429, "rate_limit_error", "rate_limit_exceeded",
                "Rate limit reached for requests. Please try again later.", headers);
    }

    /** 500 {@code server_error}. */
    static HttpError serverError() {
        return new HttpError(500, "server_error", "server_error",
                "The server had an error while processing your request.", Map.of());
    }

    /** A disturbance after {@code afterFrames} {@code data:} frames (the role chunk counts as the first). */
    sealed interface StreamFault {
        int afterFrames();

        /** The server goes quiet for {@code pause}, optionally sending {@code : keep-alive} comments, then goes on. */
        record Stall(int afterFrames, Duration pause, boolean keepAlive) implements StreamFault {}

        /** The connection drops: the body ends short of its declared length, no [DONE]. */
        record Drop(int afterFrames) implements StreamFault {}

        /** A frame whose data is truncated JSON, then the stream ends. */
        record Malformed(int afterFrames) implements StreamFault {}

        /** A mid-stream {@code data: {"error":{…}}} event ({@code server_error}), then the stream ends. */
        record ErrorEvent(int afterFrames) implements StreamFault {}
    }
}
