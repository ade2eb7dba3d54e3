package dev.parley.internal;

import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.CallClock;
import dev.parley.CallEvent;
import dev.parley.CallPolicy;
import dev.parley.spi.CallTransport;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.EndOfTurnDetector;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.Tool;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.VadSession;
import dev.parley.spi.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** One running call: wires the ears, the conductor and replies together in a task scope. */
public final class Call {
    private static final java.time.Duration END_DEADLINE = java.time.Duration.ofSeconds(10);

    /** Everything a call is made of. */
    public record Setup(String instructions, SpeechToText stt, LanguageModel llm, TextToSpeech tts,
                        VoiceActivityDetector vad, Optional<EndOfTurnDetector> endOfTurn, List<Tool> tools,
                        CallPolicy policy, CallClock clock, String language, String voice, List<String> vocabulary) {
        public Setup {
            tools = List.copyOf(tools);
            vocabulary = List.copyOf(vocabulary);
        }
    }

    private final String callId;
    private final TaskScope scope;
    private final Conductor conductor;
    private final List<String> journal;
    private final List<CallEvent> events;
    private final CompletableFuture<Call> ended = new CompletableFuture<>();

    private Call(String callId, TaskScope scope, Conductor conductor, List<String> journal, List<CallEvent> events) {
        this.callId = callId;
        this.scope = scope;
        this.conductor = conductor;
        this.journal = journal;
        this.events = events;
    }

    /** Starts a call on virtual threads and returns at once. */
    public static Call start(Setup setup, CallTransport transport, Consumer<CallEvent> listener) {
        String callId = transport.info().callId();
        int inRate = transport.inboundFormat().sampleRate();
        int modelRate = inRate == 8000 || inRate == 16000 ? inRate : 16000;
        TaskScope scope = new TaskScope("call-" + callId);
        List<Closeable> opened = new ArrayList<>();
        VadSession vad;
        SttStream stt;
        try {
            vad = setup.vad().open(modelRate);
            opened.add(vad::close);
            stt = setup.stt().open(new SttRequest(callId, dev.parley.audio.AudioFormat.pcm16(modelRate),
                    setup.language(), setup.vocabulary()));
        } catch (RuntimeException e) {
            opened.forEach(Closeable::close);
            transport.close();
            throw e;
        }
        CallMachine machine = new CallMachine(setup.policy());
        Holder holder = new Holder();
        Ears ears = new Ears(transport, vad, stt, modelRate, s -> holder.conductor.post(s),
                setup.endOfTurn().orElse(null), () -> holder.conductor.state().history());
        List<String> journalLines = Collections.synchronizedList(new ArrayList<>());
        List<CallEvent> eventList = Collections.synchronizedList(new ArrayList<>());
        Journal journal = new Journal(callId, setup.policy(), journalLines::add);
        Consumer<CallEvent> fanOut = e -> {
            eventList.add(e);
            listener.accept(e);
        };
        Conductor conductor = new Conductor(machine, setup.clock(), journal, transport, scope, ears, fanOut);
        holder.conductor = conductor;
        Map<String, Tool> tools = new LinkedHashMap<>();
        for (Tool t : setup.tools()) {
            tools.put(t.name(), t);
        }
        conductor.runtime(new CallRuntime(callId, setup.instructions(), setup.llm(), setup.tts(), tools,
                new TtsRequest(callId, transport.sink().sampleRate(), setup.language(), setup.voice()),
                setup.policy().prompts(), setup.clock(), transport.sink(), conductor::post));
        Call call = new Call(callId, scope, conductor, journalLines, eventList);
        scope.fork("ears", ears::listen);
        scope.fork("stt", ears::transcripts);
        AutoCloseable providerEvents = dev.parley.ProviderEvents.register(callId,
                e -> conductor.post(new Signal.ProviderNote(e.kind(), e.provider(), e.detail())));
        scope.register(providerEvents);
        TaskScope.Task<Void> main = scope.fork("conductor", conductor::run);
        // the supervisor ends the call's scope once the conductor is done, and reports the end after every thread
        // of the call has finished
        new TaskScope("call-" + callId + "-supervisor").fork("supervisor", () -> {
            try {
                main.future().handle((v, e) -> null).get();
                scope.cancel();
                scope.join(END_DEADLINE);
            } finally {
                call.ended.complete(call);
            }
            return null;
        });
        return call;
    }

    private interface Closeable {
        void close();
    }

    private static final class Holder {
        @Nullable Conductor conductor;
    }

    public String callId() {
        return callId;
    }

    public List<ChatMessage> history() {
        return conductor.state().history();
    }

    public List<String> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    public List<CallEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public CompletableFuture<Call> ended() {
        return ended;
    }

    /** Ends the call from the application's side. */
    public void hangUp() {
        conductor.post(new Signal.CallerHungUp("ended by the application"));
    }

    /** Number of the call's threads still running (0 once it has fully ended). */
    public long liveThreads() {
        return scope.running();
    }
}
