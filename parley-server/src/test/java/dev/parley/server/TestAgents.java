package dev.parley.server;

import dev.parley.VoiceAgent;
import dev.parley.audio.EnergyVad;
import dev.parley.spi.CallInfo;
import dev.parley.spi.ChatMessage;
import dev.parley.testkit.FakeLlm;
import dev.parley.testkit.FakeStt;
import dev.parley.testkit.FakeTts;
import dev.parley.testkit.LlmStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Agents built from the test kit's fakes (scripted STT, echoing LLM, fake TTS) and core's energy VAD, one per call. */
final class TestAgents implements AgentFactory {
    final Map<String, FakeLlm> llms = new ConcurrentHashMap<>();
    final Map<String, FakeTts> tts = new ConcurrentHashMap<>();
    final Map<String, CallInfo> infos = new ConcurrentHashMap<>();
    private final Duration idle;

    TestAgents(Duration idle) {
        this.idle = idle;
    }

    TestAgents() {
        this(Duration.ofMinutes(5));
    }

    @Override
    public VoiceAgent agentFor(CallInfo call) {
        infos.put(call.callId(), call);
        var llm = FakeLlm.builder().responder(r -> LlmStep.text("You said: " + lastUser(r.messages()) + ".")).build();
        var voice = FakeTts.builder().charDuration(Duration.ofMillis(20)).build();
        llms.put(call.callId(), llm);
        tts.put(call.callId(), voice);
        return VoiceAgent.builder()
                .stt(FakeStt.scripted(List.of("i would like a pizza")))
                .llm(llm)
                .tts(voice)
                .vad(EnergyVad.create())
                .prompts(p -> p.withIdle(idle, List.of("Are you still there?"), "Goodbye."))
                .build();
    }

    private static String lastUser(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.User(String text)) {
                return text;
            }
        }
        return "";
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    static void await(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
