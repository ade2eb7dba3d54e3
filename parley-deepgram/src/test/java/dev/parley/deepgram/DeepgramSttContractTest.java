package dev.parley.deepgram;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.SpeechToText;
import dev.parley.testkit.SttContract;
import dev.parley.testkit.TestAudio;
import dev.parley.testkit.fakes.deepgram.FakeDeepgramServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The STT contract against the loopback fake Deepgram. */
class DeepgramSttContractTest extends SttContract {
    static final String KEY = "dg-contract-key";
    static final String TEXT = "I'd like a large pepperoni pizza.";
    private static FakeDeepgramServer server;

    @BeforeAll
    static void startServer() {
        server = FakeDeepgramServer.builder().apiKey(KEY).utterances(TEXT).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected SpeechToText stt() {
        return DeepgramStt.builder().baseUrl(server.baseUrl()).apiKey(KEY).build();
    }

    @Override
    protected List<AudioFrame> utteranceAudio() {
        return TestAudio.voiced(Duration.ofMillis(1500), sampleRate());
    }

    @Override
    protected String utteranceText() {
        return TEXT;
    }
}
