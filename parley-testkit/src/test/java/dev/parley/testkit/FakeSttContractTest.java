package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.SpeechToText;
import java.time.Duration;
import java.util.List;

class FakeSttContractTest extends SttContract {
    private static final String TEXT = "i would like a large pizza";

    @Override
    protected SpeechToText stt() {
        return FakeStt.builder().utterances(TEXT).build();
    }

    @Override
    protected List<AudioFrame> utteranceAudio() {
        return TestAudio.voiced(Duration.ofMillis(1200), sampleRate());
    }

    @Override
    protected String utteranceText() {
        return TEXT;
    }
}
