package dev.parley.bench.load;

import dev.parley.VoiceAgent;
import dev.parley.server.AgentFactory;
import dev.parley.spi.CallInfo;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.VoiceActivityDetector;
import dev.parley.testkit.FakeLlm;
import dev.parley.testkit.FakeStt;
import dev.parley.testkit.FakeTts;
import dev.parley.testkit.LlmStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents of scripted fake providers with fixed latencies, one per call (a fake recogniser's script is per call),
 * sharing one VAD model; every provider is wrapped in {@link Traced} so each call leaves a {@link CallTrace}.
 */
final class FakeStack implements AgentFactory {
    /** Audio per character of the fake TTS: a 110-character reply plays for 2.2 s. */
    static final Duration TTS_CHAR = Duration.ofMillis(20);

    /** The latencies the fakes are told to add (and the VAD's end-of-speech silence). */
    record Latencies(Duration vadMinSilence, Duration sttFinal, Duration llmTtft, double llmTokensPerSecond,
                     Duration ttsTtfb, double ttsRealTimeFactor) {
        /** Time for the tokens of a first chunk of {@code words} words at the token rate. */
        Duration firstChunk(int words) {
            return Duration.ofNanos((long) (words * 1e9 / llmTokensPerSecond));
        }
    }

    private final CallerScript script;
    private final Latencies latencies;
    private final VoiceActivityDetector vad;
    private final Map<String, CallTrace> traces = new ConcurrentHashMap<>();

    private final boolean speculative;

    FakeStack(CallerScript script, Latencies latencies, VoiceActivityDetector vad) {
        this(script, latencies, vad, true);
    }

    FakeStack(CallerScript script, Latencies latencies, VoiceActivityDetector vad, boolean speculative) {
        this.script = script;
        this.latencies = latencies;
        this.vad = vad;
        this.speculative = speculative;
    }

    @Override
    public VoiceAgent agentFor(CallInfo call) {
        var trace = new CallTrace();
        traces.put(call.callId(), trace);
        var stt = FakeStt.builder().finalLatency(latencies.sttFinal())
                .speechThresholdDbfs(CallerScript.VOICED_DBFS);
        for (CallerScript.Turn t : script.turns()) {
            stt.utterance(t.transcript());
        }
        var llm = FakeLlm.builder()
                .responder(r -> LlmStep.text(CallerScript.reply(userTurns(r.messages()))))
                .timeToFirstToken(latencies.llmTtft())
                .tokensPerSecond(latencies.llmTokensPerSecond())
                .build();
        var tts = FakeTts.builder().charDuration(TTS_CHAR).timeToFirstByte(latencies.ttsTtfb())
                .realTimeFactor(latencies.ttsRealTimeFactor()).build();
        return VoiceAgent.builder()
                .instructions("You take phone orders for a pizzeria. Be brief.")
                .stt(new Traced.Stt(stt.build(), trace))
                .llm(new Traced.Llm(llm, trace))
                .tts(new Traced.Tts(tts, trace))
                .vad(new Traced.Vad(vad, trace))
                .turns(t -> t.withSpeculative(speculative))
                .build();
    }

    /** The trace of a call placed with this SID, once the server has asked for its agent. */
    Optional<CallTrace> trace(String callSid) {
        return Optional.ofNullable(traces.get(callSid));
    }

    Latencies latencies() {
        return latencies;
    }

    static int userTurns(List<ChatMessage> messages) {
        return (int) messages.stream().filter(m -> m instanceof ChatMessage.User).count();
    }
}
