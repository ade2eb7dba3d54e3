package dev.parley.cartesia;

import dev.parley.spi.TextToSpeech;
import dev.parley.testkit.TtsContract;
import dev.parley.testkit.fakes.cartesia.FakeCartesiaServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The TTS contract against the loopback fake Cartesia. */
class CartesiaTtsContractTest extends TtsContract {
    static final String KEY = "ct-contract-key";
    private static FakeCartesiaServer server;
    private final List<CartesiaTts> providers = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = FakeCartesiaServer.builder().apiKey(KEY).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(CartesiaTts::close);
    }

    @Override
    protected TextToSpeech tts() {
        var tts = CartesiaTts.builder().baseUrl(server.baseUrl()).apiKey(KEY).voice("voice-contract").build();
        providers.add(tts);
        return tts;
    }
}
