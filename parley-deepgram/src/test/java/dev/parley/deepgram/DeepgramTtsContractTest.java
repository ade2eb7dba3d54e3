package dev.parley.deepgram;

import dev.parley.spi.TextToSpeech;
import dev.parley.testkit.TtsContract;
import dev.parley.testkit.fakes.deepgram.FakeDeepgramServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The TTS contract against the loopback fake Deepgram Aura. */
class DeepgramTtsContractTest extends TtsContract {
    static final String KEY = "dg-contract-key";
    private static FakeDeepgramServer server;

    @BeforeAll
    static void startServer() {
        server = FakeDeepgramServer.builder().apiKey(KEY).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected TextToSpeech tts() {
        return DeepgramAuraTts.builder().baseUrl(server.baseUrl()).apiKey(KEY).build();
    }
}
