package dev.parley;

import dev.parley.audio.EnergyVad;
import dev.parley.internal.Call;
import dev.parley.spi.CallTransport;
import dev.parley.spi.EndOfTurnDetector;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.Tool;
import dev.parley.spi.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A voice agent: its instructions, providers, tools and policies. Immutable and shared by all its calls;
 * {@link #call} starts one call on any transport.
 *
 * <pre>{@code
 * var agent = VoiceAgent.builder()
 *     .instructions("You take phone orders for Tony's Pizza. Be brief.")
 *     .stt(stt).llm(llm).tts(tts)
 *     .tools(tools)
 *     .interruptions(i -> i.minSpeech(Duration.ofMillis(150)).ignore("uh-huh", "yeah"))
 *     .build();
 * CallSession session = agent.call(transport);
 * }</pre>
 */
public final class VoiceAgent {
    private final Call.Setup setup;

    private VoiceAgent(Call.Setup setup) {
        this.setup = setup;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a call on {@code transport} and returns at once. */
    public CallSession call(CallTransport transport) {
        return call(transport, e -> { });
    }

    /** Starts a call; {@code listener} sees every call event on the call's conductor thread (keep it quick). */
    public CallSession call(CallTransport transport, Consumer<CallEvent> listener) {
        return new CallSession(Call.start(setup, transport, listener));
    }

    public CallPolicy policy() {
        return setup.policy();
    }

    /** Builds a {@link VoiceAgent}; STT, LLM and TTS are required. */
    public static final class Builder {
        private String instructions = "You are a helpful voice assistant. Be brief.";
        private @Nullable SpeechToText stt;
        private @Nullable LanguageModel llm;
        private @Nullable TextToSpeech tts;
        private @Nullable VoiceActivityDetector vad;
        private @Nullable EndOfTurnDetector endOfTurn;
        private final List<Tool> tools = new ArrayList<>();
        private CallPolicy policy = CallPolicy.defaults();
        private CallClock clock = CallClock.system();
        private String language = "en-US";
        private String voice = "";
        private final List<String> vocabulary = new ArrayList<>();

        private Builder() {}

        public Builder instructions(String text) {
            this.instructions = text;
            return this;
        }

        public Builder stt(SpeechToText stt) {
            this.stt = stt;
            return this;
        }

        public Builder llm(LanguageModel llm) {
            this.llm = llm;
            return this;
        }

        public Builder tts(TextToSpeech tts) {
            this.tts = tts;
            return this;
        }

        /** The voice activity detector; defaults to the energy VAD when no model is given. */
        public Builder vad(VoiceActivityDetector vad) {
            this.vad = vad;
            return this;
        }

        public Builder endOfTurn(EndOfTurnDetector detector) {
            this.endOfTurn = detector;
            return this;
        }

        public Builder tools(List<Tool> list) {
            tools.addAll(list);
            return this;
        }

        public Builder tools(Tool... list) {
            return tools(List.of(list));
        }

        public Builder policy(CallPolicy p) {
            this.policy = p;
            return this;
        }

        public Builder turns(UnaryOperator<TurnTaking> change) {
            policy = new CallPolicy(change.apply(policy.turns()), policy.interruptions(), policy.prompts());
            return this;
        }

        public Builder interruptions(UnaryOperator<Interruptions> change) {
            policy = new CallPolicy(policy.turns(), change.apply(policy.interruptions()), policy.prompts());
            return this;
        }

        public Builder prompts(UnaryOperator<Prompts> change) {
            policy = new CallPolicy(policy.turns(), policy.interruptions(), change.apply(policy.prompts()));
            return this;
        }

        public Builder greeting(String text) {
            return prompts(p -> p.withGreeting(text));
        }

        public Builder clock(CallClock c) {
            this.clock = c;
            return this;
        }

        public Builder language(String bcp47) {
            this.language = bcp47;
            return this;
        }

        public Builder voice(String name) {
            this.voice = name;
            return this;
        }

        /** Domain words and phrases for the recogniser (menu items, names). */
        public Builder vocabulary(List<String> words) {
            vocabulary.addAll(words);
            return this;
        }

        public VoiceAgent build() {
            Objects.requireNonNull(stt, "a speech-to-text provider is required: .stt(...)");
            Objects.requireNonNull(llm, "a language model is required: .llm(...)");
            Objects.requireNonNull(tts, "a text-to-speech provider is required: .tts(...)");
            long distinct = tools.stream().map(Tool::name).distinct().count();
            if (distinct != tools.size()) {
                throw new IllegalArgumentException("two tools have the same name");
            }
            VoiceActivityDetector v = vad != null ? vad : EnergyVad.builder().build();
            return new VoiceAgent(new Call.Setup(instructions, stt, llm, tts, v, Optional.ofNullable(endOfTurn), tools,
                    policy, clock, language, voice, vocabulary));
        }
    }
}
