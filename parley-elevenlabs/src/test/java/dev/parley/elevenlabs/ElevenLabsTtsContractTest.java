package dev.parley.elevenlabs;

import dev.parley.spi.TextToSpeech;
import dev.parley.testkit.TtsContract;
import dev.parley.testkit.fakes.elevenlabs.FakeElevenLabsServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The TTS contract against the loopback fake ElevenLabs. */
class ElevenLabsTtsContractTest extends TtsContract {
    static final String KEY = "el-contract-key";
    private static FakeElevenLabsServer server;
    private final List<ElevenLabsTts> providers = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = FakeElevenLabsServer.builder().apiKey(KEY).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(ElevenLabsTts::close);
    }

    @Override
    protected TextToSpeech tts() {
        var tts = ElevenLabsTts.builder().baseUrl(server.baseUrl()).apiKey(KEY).voice("voice-contract").build();
        providers.add(tts);
        return tts;
    }
}
