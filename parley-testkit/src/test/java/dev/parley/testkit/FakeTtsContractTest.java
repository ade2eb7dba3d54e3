package dev.parley.testkit;

import dev.parley.spi.TextToSpeech;
import java.time.Duration;

class FakeTtsContractTest extends TtsContract {
    @Override
    protected TextToSpeech tts() {
        return FakeTts.builder().timeToFirstByte(Duration.ofMillis(50)).realTimeFactor(10).build();
    }
}
