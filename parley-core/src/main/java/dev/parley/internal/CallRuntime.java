package dev.parley.internal;

import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.CallClock;
import dev.parley.Prompts;
import dev.parley.spi.AudioSink;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.Tool;
import dev.parley.spi.ToolDefinition;
import dev.parley.spi.TtsRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What the stages of one call share: providers, tools, the sink, the clock, and the way to post signals. */
record CallRuntime(String callId, String instructions, LanguageModel llm, TextToSpeech tts, Map<String, Tool> tools,
                   TtsRequest ttsRequest, Prompts prompts, CallClock clock, AudioSink sink, Consumer<Signal> poster) {
    CallRuntime {
        tools = Map.copyOf(tools);
    }

    List<ToolDefinition> toolDefinitions() {
        return tools.values().stream().map(Tool::definition)
                .sorted(java.util.Comparator.comparing(ToolDefinition::name)).toList();
    }

    void post(Signal signal) {
        poster.accept(signal);
    }
}
