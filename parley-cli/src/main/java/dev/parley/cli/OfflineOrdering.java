package dev.parley.cli;

import dev.parley.VoiceAgent;
import dev.parley.examples.ordering.CartStore;
import dev.parley.examples.ordering.InMemoryCartStore;
import dev.parley.examples.ordering.Menu;
import dev.parley.examples.ordering.OrderEngine;
import dev.parley.examples.ordering.OrderTools;
import dev.parley.localtts.LocalTts;
import dev.parley.silero.SileroVad;
import dev.parley.sphinx.SphinxStt;
import dev.parley.spi.LanguageModel;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The embedded offline default: Silero VAD, Sphinx4 recognition with a language model built from the menu, the
 * offline order-taking dialogue engine, the ordering tools over a cart store, and FreeTTS. One instance shares its
 * models among all calls.
 */
public final class OfflineOrdering {
    private final Menu menu;
    private final CartStore carts;
    private final VoiceAgent agent;

    private OfflineOrdering(Menu menu, CartStore carts, VoiceAgent agent) {
        this.menu = menu;
        this.carts = carts;
        this.agent = agent;
    }

    /** Builds the stack (loads the models: a few seconds). */
    public static OfflineOrdering create(int expectedConcurrentCalls) {
        return create(expectedConcurrentCalls, UnaryOperator.identity());
    }

    /** Like {@link #create(int)}, with the order engine wrapped by {@code llm} (for example, to record its steps). */
    public static OfflineOrdering create(int expectedConcurrentCalls, UnaryOperator<LanguageModel> llm) {
        Menu menu = Menu.tonysPizza();
        OrderEngine engine = OrderEngine.offline(menu);
        CartStore carts = new InMemoryCartStore();
        SphinxStt stt = SphinxStt.builder()
                .corpus(engine.corpus())
                .maxConcurrentStreams(Math.max(2, expectedConcurrentCalls))
                .prewarm(Math.max(1, Math.min(expectedConcurrentCalls, 32))) // a recogniser costs 1-2 s of CPU to build: not mid-call
                .build();
        VoiceAgent agent = VoiceAgent.builder()
                .instructions("You take phone orders for " + menu.restaurant() + ". Be brief.")
                .stt(stt)
                .llm(llm.apply(engine))
                .tts(LocalTts.english())
                .vad(SileroVad.create())
                .tools(OrderTools.create(menu, carts))
                .greeting("Thanks for calling " + menu.restaurant() + ". What can I get you?")
                .interruptions(i -> i.minSpeech(Duration.ofMillis(120)))
                .build();
        return new OfflineOrdering(menu, carts, agent);
    }

    public VoiceAgent agent() {
        return agent;
    }

    public Menu menu() {
        return menu;
    }

    public CartStore carts() {
        return carts;
    }

    /** The cart of a call (its id is derived from the call id). */
    public dev.parley.examples.ordering.Cart cartOf(String callId) {
        return carts.snapshot(OrderTools.defaultCartId(callId));
    }
}
