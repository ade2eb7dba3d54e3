package dev.parley.internal;

import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.machine.Signal.ReplyStatus;
import dev.parley.machine.Signal.ToolOutcome;
import dev.parley.spi.AudioSink;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.Tool;
import dev.parley.spi.ToolCall;
import dev.parley.spi.ToolContext;
import dev.parley.spi.ToolPolicy;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assistant turn: model steps (with tool calls run in between) → sentence chunker → TTS → the caller's sink,
 * each chunk followed by a mark. Owns a {@link TaskScope}; {@link #cancel()} stops everything but tools that must
 * run to completion, whose results are still reported. Facts go to the conductor as signals; audio never does.
 */
final class Reply {
    private static final Logger LOG = LoggerFactory.getLogger(Reply.class);

    private final ReplySpec spec;
    private final CallRuntime rt;
    private final TaskScope scope;
    private final TaskScope toolScope;
    private final Pipe<String> chunks = new Pipe<>(16);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Object sinkLock = new Object();
    private boolean muted;
    private volatile boolean cancelled;
    private final List<ChatMessage> steps = new ArrayList<>();
    private final List<ToolRun> tools = new ArrayList<>();

    private record ToolRun(ToolCall call, @Nullable Tool tool, TaskScope.Task<String> task, ToolContextImpl context) {}

    Reply(ReplySpec spec, CallRuntime rt) {
        this.spec = spec;
        this.rt = rt;
        this.scope = new TaskScope("call-" + rt.callId() + "/reply-" + spec.id());
        this.toolScope = new TaskScope("call-" + rt.callId() + "/tools-" + spec.id());
        if (!spec.gated()) {
            gate.countDown();
        }
    }

    int id() {
        return spec.id();
    }

    /** Opens the gate of a speculative reply: its audio may play and its tools may run. */
    void release() {
        gate.countDown();
    }

    /** Speaks {@code text} inside this reply (tool filler, or a tool's own {@code say}). */
    void say(String text) {
        chunks.offerAlways(text);
    }

    /** Stops writing audio at once (called before the far end's buffer is cleared). */
    void mute() {
        synchronized (sinkLock) {
            muted = true;
        }
    }

    /** Barge-in or end of call: mute, cancel the model, TTS and cancellable tools. */
    void cancel() {
        mute();
        cancelled = true;
        chunks.cancel();
        scope.cancel();
        synchronized (tools) {
            for (ToolRun t : tools) {
                if (t.tool() == null || t.tool().definition().policy() == ToolPolicy.CANCEL_ON_BARGE_IN) {
                    t.context().cancelled = true;
                    t.task().interrupt();
                }
            }
        }
    }

    /** The reply's supervisor: runs on a virtual thread of the call, posts {@code ReplyFinished} at the end. */
    void run() {
        ReplyStatus status = ReplyStatus.COMPLETED;
        String error = "";
        TaskScope.Task<Void> voice = scope.fork("voice", this::voiceLoop);
        try {
            if (!spec.fixedText().isBlank()) {
                chunk(spec.fixedText(), new SentenceChunker());
            } else {
                think();
            }
            chunks.close();
            voice.future().get();
        } catch (InterruptedException | Pipe.CancelledException e) {
            status = ReplyStatus.INTERRUPTED;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cancelled || cause instanceof InterruptedException || cause instanceof Pipe.CancelledException) {
                status = ReplyStatus.INTERRUPTED;
            } else {
                status = ReplyStatus.FAILED;
                error = String.valueOf(cause.getMessage());
                LOG.warn("reply {} failed: {}", spec.id(), cause.toString());
            }
        }
        if (cancelled) {
            status = ReplyStatus.INTERRUPTED;
        }
        scope.cancel();
        finishTools();
        Thread.interrupted(); // clear a pending interrupt before posting
        rt.post(new Signal.ReplyFinished(spec.id(), status, snapshotSteps(), error));
    }

    // ---- the brain: model steps and tools ---------------------------------------------------------------------

    private void think() throws InterruptedException, ExecutionException {
        List<ChatMessage> messages = new ArrayList<>(spec.messages());
        int maxSteps = rt.prompts().maxToolSteps();
        for (int step = 0; step <= maxSteps; step++) {
            boolean offerTools = step < maxSteps && !rt.tools().isEmpty();
            LlmStream stream = rt.llm().stream(new LlmRequest(rt.callId(), rt.instructions(), messages,
                    offerTools ? rt.toolDefinitions() : List.of()));
            scope.register(stream);
            SentenceChunker chunker = new SentenceChunker();
            List<ToolCall> calls = new ArrayList<>();
            try (stream) {
                Optional<LlmEvent> next;
                while ((next = stream.next()).isPresent()) {
                    switch (next.get()) {
                        case LlmEvent.TextDelta d -> {
                            for (String c : chunker.push(d.text())) {
                                chunks.put(c);
                            }
                        }
                        case LlmEvent.ToolCallRequested t -> calls.add(t.call());
                        case LlmEvent.Usage u -> { }
                        case LlmEvent.Finished f -> { }
                    }
                }
            }
            if (cancelled) {
                throw new InterruptedException("reply cancelled");
            }
            for (String c : chunker.flush()) {
                chunks.put(c);
            }
            if (calls.isEmpty()) {
                return;
            }
            gate.await(); // a speculative reply runs no tool (no side effect) until it is confirmed
            ChatMessage.Assistant request = new ChatMessage.Assistant("", calls, false);
            messages.add(request);
            List<ToolRun> runs = startTools(request, calls);
            for (ToolRun run : runs) {
                String result = awaitTool(run);
                messages.add(new ChatMessage.ToolResult(run.call().id(), run.call().name(), result));
            }
        }
    }

    private List<ToolRun> startTools(ChatMessage.Assistant request, List<ToolCall> calls) {
        List<ToolRun> runs = new ArrayList<>();
        synchronized (tools) {
            if (cancelled) {
                return runs; // nothing started: nothing to report
            }
            synchronized (steps) {
                steps.add(request);
            }
            for (ToolCall call : calls) {
                Tool tool = rt.tools().get(call.name());
                ToolContextImpl ctx = new ToolContextImpl(call.id());
                rt.post(new Signal.ToolStarted(spec.id(), call.id(), call.name()));
                TaskScope.Task<String> task = toolScope.fork("tool-" + call.name(), () -> {
                    if (tool == null) {
                        throw new ParleyException("unknown tool " + call.name());
                    }
                    return tool.handler().invoke(call.argumentsJson(), ctx);
                });
                ToolRun run = new ToolRun(call, tool, task, ctx);
                tools.add(run);
                runs.add(run);
            }
        }
        return runs;
    }

    /** Waits for one tool within its timeout; records and returns its result text. */
    private String awaitTool(ToolRun run) throws InterruptedException {
        Duration timeout = run.tool() == null ? Duration.ZERO : run.tool().definition().timeout();
        ToolOutcome outcome;
        String result;
        try {
            Optional<String> r = run.task().await(timeout);
            if (r.isPresent()) {
                outcome = ToolOutcome.OK;
                result = r.get();
            } else {
                run.task().interrupt();
                outcome = ToolOutcome.TIMEOUT;
                result = "{\"error\":\"the tool timed out\"}";
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (run.context().cancelled) {
                outcome = ToolOutcome.CANCELLED;
                result = "{\"error\":\"cancelled: the caller interrupted before it finished\"}";
            } else {
                outcome = ToolOutcome.ERROR;
                result = "{\"error\":" + Json.quote(String.valueOf(cause.getMessage())) + "}";
            }
        }
        record(run, outcome, result);
        return result;
    }

    private void record(ToolRun run, ToolOutcome outcome, String result) {
        synchronized (steps) {
            for (ChatMessage m : steps) {
                if (m instanceof ChatMessage.ToolResult tr && tr.callId().equals(run.call().id())) {
                    return; // already answered
                }
            }
            steps.add(new ChatMessage.ToolResult(run.call().id(), run.call().name(), result));
        }
        rt.post(new Signal.ToolFinished(spec.id(), run.call().id(), run.call().name(), outcome));
    }

    /** After a cancel: every started tool gets a result; run-to-completion tools are awaited within their timeout. */
    private void finishTools() {
        List<ToolRun> runs;
        synchronized (tools) {
            runs = List.copyOf(tools);
        }
        for (ToolRun run : runs) {
            boolean answered;
            synchronized (steps) {
                answered = steps.stream().anyMatch(m -> m instanceof ChatMessage.ToolResult tr
                        && tr.callId().equals(run.call().id()));
            }
            if (answered) {
                continue;
            }
            try {
                awaitTool(run);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                record(run, ToolOutcome.CANCELLED, "{\"error\":\"cancelled: the call ended\"}");
            }
        }
        toolScope.cancel();
    }

    private List<ChatMessage> snapshotSteps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    private void chunk(String text, SentenceChunker chunker) throws InterruptedException {
        for (String c : chunker.push(text)) {
            chunks.put(c);
        }
        for (String c : chunker.flush()) {
            chunks.put(c);
        }
    }

    // ---- the voice: TTS and the audio pump ----------------------------------------------------------------------

    private Void voiceLoop() throws InterruptedException {
        TtsStream tts = null;
        AudioSink sink = rt.sink();
        AudioConverter converter = new AudioConverter(sink.sampleRate());
        int index = 0;
        Duration streamAudio = Duration.ZERO;
        Optional<String> piece;
        while ((piece = chunks.take()).isPresent()) {
            String text = piece.get().trim();
            if (text.isEmpty()) {
                continue;
            }
            if (tts == null) {
                tts = rt.tts().open(rt.ttsRequest());
                scope.register(tts);
            }
            tts.send(text);
            tts.flush();
            Duration chunkAudio = Duration.ZERO;
            List<WordTiming> words = new ArrayList<>();
            Instant firstWrite = null;
            boolean flushed = false;
            Optional<TtsEvent> ev;
            while (!flushed && (ev = tts.next()).isPresent()) {
                switch (ev.get()) {
                    case TtsEvent.Audio a -> {
                        gate.await();
                        AudioFrame frame = converter.convert(a.frame());
                        if (firstWrite == null) {
                            firstWrite = rt.clock().now();
                        }
                        if (!write(sink, frame)) {
                            throw new InterruptedException("muted");
                        }
                        chunkAudio = chunkAudio.plus(frame.duration());
                    }
                    case TtsEvent.Words w -> {
                        for (WordTiming t : w.words()) {
                            Duration start = t.start().minus(streamAudio);
                            Duration end = t.end().minus(streamAudio);
                            if (!start.isNegative()) {
                                words.add(new WordTiming(t.word(), start, end));
                            }
                        }
                    }
                    case TtsEvent.Flushed f -> flushed = true;
                }
            }
            if (!flushed && cancelled) {
                throw new InterruptedException("reply cancelled");
            }
            if (!flushed) {
                throw new ParleyException("text-to-speech stream ended before the chunk was spoken");
            }
            gate.await();
            String mark = CallMachine.markName(spec.id(), index);
            synchronized (sinkLock) {
                if (muted) {
                    throw new InterruptedException("muted");
                }
                sink.mark(mark);
            }
            Duration writing = firstWrite == null ? Duration.ZERO : Duration.between(firstWrite, rt.clock().now());
            rt.post(new Signal.ReplyChunk(spec.id(), index, text, chunkAudio, words, writing));
            streamAudio = streamAudio.plus(chunkAudio);
            index++;
        }
        if (tts != null) {
            tts.close();
        }
        return null;
    }

    private boolean write(AudioSink sink, AudioFrame frame) {
        synchronized (sinkLock) {
            if (muted) {
                return false;
            }
            sink.write(frame);
            return true;
        }
    }

    /** What a running tool sees. */
    private final class ToolContextImpl implements ToolContext {
        private final String toolCallId;
        volatile boolean cancelled;

        ToolContextImpl(String toolCallId) {
            this.toolCallId = toolCallId;
        }

        @Override
        public String callId() {
            return rt.callId();
        }

        @Override
        public String toolCallId() {
            return toolCallId;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public void say(String text) {
            Reply.this.say(text);
        }

        @Override
        public void transferToHuman(String reason) {
            rt.post(new Signal.CallControlRequested(spec.id(), Signal.CallControl.TRANSFER, reason));
        }

        @Override
        public void endCall(String reason) {
            rt.post(new Signal.CallControlRequested(spec.id(), Signal.CallControl.HANG_UP, reason));
        }
    }
}
