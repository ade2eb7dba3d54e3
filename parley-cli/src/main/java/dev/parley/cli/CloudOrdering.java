package dev.parley.cli;

import dev.parley.VoiceAgent;
import dev.parley.cartesia.CartesiaTts;
import dev.parley.deepgram.DeepgramAuraTts;
import dev.parley.deepgram.DeepgramStt;
import dev.parley.elevenlabs.ElevenLabsTts;
import dev.parley.examples.ordering.Cart;
import dev.parley.examples.ordering.CartStore;
import dev.parley.examples.ordering.InMemoryCartStore;
import dev.parley.examples.ordering.Menu;
import dev.parley.examples.ordering.OrderEngine;
import dev.parley.examples.ordering.OrderTools;
import dev.parley.localtts.LocalTts;
import dev.parley.openai.OpenAiChat;
import dev.parley.resilience.CircuitBreaker;
import dev.parley.resilience.Deadlines;
import dev.parley.resilience.FallbackLanguageModel;
import dev.parley.resilience.FallbackSpeechToText;
import dev.parley.resilience.FallbackTextToSpeech;
import dev.parley.resilience.ModelRouter;
import dev.parley.resilience.RetryPolicy;
import dev.parley.resilience.RoutingRule;
import dev.parley.server.ParleyConfig;
import dev.parley.silero.SileroVad;
import dev.parley.sphinx.SphinxStt;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordering agent on the cloud providers whose keys (or, for an OpenAI-compatible server, base URL) are configured,
 * each SPI a fallback chain ending in the embedded offline stack, every provider behind its own circuit breaker and
 * every chain guarded by {@link Deadlines}, so a stalled provider is abandoned mid-turn:
 * <ul>
 *   <li>speech-to-text: Deepgram → Sphinx4 (the recent caller audio is replayed to Sphinx);</li>
 *   <li>language model: the primary OpenAI-compatible base URL → a second base URL ({@value #ENV_FALLBACK_BASE_URL})
 *       → optionally the offline order engine ({@value #ENV_OFFLINE_LLM}); with {@value #ENV_COMPLEX_MODEL} set, a
 *       {@link ModelRouter} picks the cheap model ({@code PARLEY_LLM_MODEL}) or the larger one per step and journals
 *       the choice. A model failing mid-answer is followed by a short filler ("Sorry, one moment.") and the next
 *       model's answer; when every model failed the caller hears the apology and is handed to a person
 *       ({@link AllFailedHandoff}: {@code transfer_to_human}; without a handoff number the server hangs up
 *       politely);</li>
 *   <li>text-to-speech: Cartesia → ElevenLabs → Deepgram Aura → FreeTTS (the configured ones, in that order).</li>
 * </ul>
 * Connections are opened at build (OpenAI {@code GET /models}, the Cartesia socket, an ElevenLabs spare socket) and
 * the OpenAI pools are kept warm every {@link #KEEP_WARM}; Deepgram connects when a call starts. No handshake sits
 * on a turn's critical path. Environment keys read beyond {@link ParleyConfig}: {@value #ENV_COMPLEX_MODEL},
 * {@value #ENV_FALLBACK_BASE_URL}, {@value #ENV_FALLBACK_API_KEY}, {@value #ENV_OFFLINE_LLM},
 * {@value #ENV_CARTESIA_VOICE}, {@value #ENV_ELEVENLABS_VOICE}, {@value #ENV_AURA_VOICE}.
 */
public final class CloudOrdering implements AutoCloseable {
    /** The larger model for complex turns; empty: no routing, every step goes to {@code PARLEY_LLM_MODEL}. */
    public static final String ENV_COMPLEX_MODEL = "PARLEY_LLM_COMPLEX_MODEL";
    /** A second OpenAI-compatible base URL tried when the primary fails (same model names). */
    public static final String ENV_FALLBACK_BASE_URL = "OPENAI_FALLBACK_BASE_URL";
    /** The key of the second base URL; empty: the primary's key. */
    public static final String ENV_FALLBACK_API_KEY = "OPENAI_FALLBACK_API_KEY";
    /** "true": the offline order engine is the last language model of the chain (default false: apology, handoff). */
    public static final String ENV_OFFLINE_LLM = "PARLEY_LLM_OFFLINE_FALLBACK";
    public static final String ENV_CARTESIA_VOICE = "CARTESIA_VOICE";
    public static final String ENV_ELEVENLABS_VOICE = "ELEVENLABS_VOICE";
    /** The Aura voice model ({@code aura-2-thalia-en} by default). */
    public static final String ENV_AURA_VOICE = "DEEPGRAM_TTS_MODEL";
    static final String DEFAULT_CARTESIA_VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091";
    static final String DEFAULT_ELEVENLABS_VOICE = "21m00Tcm4TlvDq8ikWAM";
    /** How often the OpenAI connection pools are re-warmed (idle HTTP connections close after about 30 s). */
    public static final Duration KEEP_WARM = Duration.ofSeconds(20);

    /** Recognition: some result within 1 s of the end of the turn, then no gap over 1 s until the final. */
    static final Deadlines STT_DEADLINES = Deadlines.builder().firstOutput(Duration.ofMillis(600))
            .maxGap(Duration.ofMillis(600)).build();
    /** Model steps: first token within 2.5 s, then no gap over 1 s (a stall is abandoned while the caller hears
     *  the text already spoken). */
    static final Deadlines LLM_DEADLINES = Deadlines.builder().firstOutput(Duration.ofMillis(2500))
            .maxGap(Duration.ofSeconds(1)).build();
    /** Speech: first audio within 1 s of a flush, then no gap over 600 ms (audio arrives ahead of playback). */
    static final Deadlines TTS_DEADLINES = Deadlines.builder().firstOutput(Duration.ofSeconds(1))
            .maxGap(Duration.ofMillis(600)).build();
    /** One quick retry on the same provider before failing over; server hints up to 1 s are honoured. */
    static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(2).baseBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(300)).maxRetryAfter(Duration.ofSeconds(1)).build();

    private static final Logger LOG = LoggerFactory.getLogger(CloudOrdering.class);

    private final Menu menu;
    private final CartStore carts;
    private final VoiceAgent agent;
    private final String description;
    private final List<AutoCloseable> resources;
    private final ScheduledExecutorService keepWarm;

    private CloudOrdering(Menu menu, CartStore carts, VoiceAgent agent, String description,
            List<AutoCloseable> resources, ScheduledExecutorService keepWarm) {
        this.menu = menu;
        this.carts = carts;
        this.agent = agent;
        this.description = description;
        this.resources = resources;
        this.keepWarm = keepWarm;
    }

    /** Whether any cloud provider is configured (a key, or an OpenAI-compatible base URL). */
    public static boolean configured(ParleyConfig.Providers p) {
        return !p.deepgram().apiKey().isBlank() || !p.openai().apiKey().isBlank() || !p.openai().baseUrl().isBlank()
                || !p.cartesia().apiKey().isBlank() || !p.elevenlabs().apiKey().isBlank();
    }

    /**
     * Builds the stack and warms its connections (a few seconds: the offline models load too). A provider that cannot
     * be reached now is logged and left to its breaker; a rejected key fails here.
     *
     * @param env the extra keys ({@value #ENV_COMPLEX_MODEL}, ...); usually {@link System#getenv()}
     */
    public static CloudOrdering create(ParleyConfig config, Map<String, String> env, int expectedConcurrentCalls) {
        ParleyConfig.Providers p = config.providers();
        Menu menu = Menu.tonysPizza();
        OrderEngine engine = OrderEngine.offline(menu);
        CartStore carts = new InMemoryCartStore();
        List<AutoCloseable> resources = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        List<Runnable> pools = new ArrayList<>();
        List<Runnable> sockets = new ArrayList<>();

        SphinxStt sphinx = SphinxStt.builder().corpus(engine.corpus())
                .maxConcurrentStreams(Math.max(2, expectedConcurrentCalls))
                .prewarm(Math.max(1, Math.min(expectedConcurrentCalls, 32))).build();
        resources.add(sphinx);
        SpeechToText stt = sphinx;
        if (!p.deepgram().apiKey().isBlank()) {
            DeepgramStt deepgram = withUrl(DeepgramStt.builder().apiKey(p.deepgram().apiKey()), p.deepgram(),
                    DeepgramStt.Builder::baseUrl).build();
            stt = FallbackSpeechToText.builder().add(deepgram).add(sphinx).retry(RETRY).deadlines(STT_DEADLINES)
                    .replay(Duration.ofSeconds(6)) // an utterance plus a drop noticed only at the finalize deadline
                    .name("stt[deepgram>sphinx]").build();
        }
        stack.add("STT " + (stt == sphinx ? "sphinx (offline)" : "deepgram > sphinx"));

        LanguageModel llm = languageModel(p, env, engine, resources, pools, stack);
        TextToSpeech tts = textToSpeech(p, env, resources, sockets, stack);

        long t0 = System.nanoTime();
        pools.forEach(w -> warm(w, true));
        sockets.forEach(w -> warm(w, true));
        LOG.info("warmed {} connections in {} ms", pools.size() + sockets.size(), (System.nanoTime() - t0) / 1_000_000);
        ScheduledExecutorService keepWarm = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-keep-warm");
            t.setDaemon(true);
            return t;
        });
        if (!pools.isEmpty()) {
            keepWarm.scheduleWithFixedDelay(() -> pools.forEach(w -> warm(w, false)), KEEP_WARM.toMillis(),
                    KEEP_WARM.toMillis(), TimeUnit.MILLISECONDS);
        }
        VoiceAgent agent = VoiceAgent.builder()
                .instructions("You take phone orders for " + menu.restaurant() + ". Be brief: one or two short"
                        + " sentences. Use the tools to look up the menu and to change the order; read the order back"
                        + " and confirm it before placing it; transfer to a person when the caller asks.")
                .stt(stt)
                .llm(llm)
                .tts(tts)
                .vad(SileroVad.create())
                .tools(OrderTools.create(menu, carts))
                .vocabulary(menu.items().stream().map(dev.parley.examples.ordering.MenuItem::name).toList())
                .greeting("Thanks for calling " + menu.restaurant() + ". What can I get you?")
                .interruptions(i -> i.minSpeech(Duration.ofMillis(120)))
                // a filler after 1 s of waiting (a slow tool, or a recogniser failing over) keeps silences under 1.5 s
                .prompts(prompts -> prompts.withFiller(Duration.ofSeconds(1), prompts.fillers()))
                .build();
        return new CloudOrdering(menu, carts, agent, String.join("; ", stack), resources, keepWarm);
    }

    private static LanguageModel languageModel(ParleyConfig.Providers p, Map<String, String> env, OrderEngine engine,
            List<AutoCloseable> resources, List<Runnable> warmers, List<String> stack) {
        boolean cloud = !p.openai().apiKey().isBlank() || !p.openai().baseUrl().isBlank();
        if (!cloud) {
            stack.add("LLM offline order engine");
            return engine;
        }
        String simple = p.llmModel().isBlank() ? OpenAiChat.DEFAULT_MODEL : p.llmModel();
        String complex = env.getOrDefault(ENV_COMPLEX_MODEL, "").strip();
        String fallbackUrl = env.getOrDefault(ENV_FALLBACK_BASE_URL, "").strip();
        String fallbackKey = env.getOrDefault(ENV_FALLBACK_API_KEY, "").strip();
        boolean offline = Boolean.parseBoolean(env.getOrDefault(ENV_OFFLINE_LLM, "false").strip());
        String primaryUrl = p.openai().baseUrl().isBlank() ? OpenAiChat.DEFAULT_BASE_URL : p.openai().baseUrl();
        // one breaker per provider (base URL), shared by the simple and the complex chain
        CircuitBreaker primary = CircuitBreaker.of("llm-primary");
        CircuitBreaker secondary = CircuitBreaker.of("llm-secondary");
        CircuitBreaker local = CircuitBreaker.of("llm-offline");
        java.util.function.Function<String, LanguageModel> chain = model -> {
            var b = FallbackLanguageModel.builder().retry(RETRY).deadlines(LLM_DEADLINES)
                    .add(openAi(primaryUrl, p.openai().apiKey(), model, "primary", resources, warmers), primary);
            if (!fallbackUrl.isEmpty()) {
                String key = fallbackKey.isEmpty() ? p.openai().apiKey() : fallbackKey;
                b.add(openAi(fallbackUrl, key, model, "secondary", resources, warmers), secondary);
            }
            if (offline) {
                b.add(engine, local);
            }
            return b.name("llm[" + model + "]").build();
        };
        LanguageModel llm = complex.isEmpty() || complex.equals(simple) ? chain.apply(simple)
                : ModelRouter.builder().simple(chain.apply(simple)).complex(chain.apply(complex))
                        .rule(RoutingRule.builder().maxSimpleWords(12).build()).name("router").build();
        stack.add("LLM " + simple + (llm instanceof ModelRouter ? " / complex " + complex : "")
                + " at primary" + (fallbackUrl.isEmpty() ? "" : " > secondary base URL") + (offline ? " > offline engine" : "")
                + " | then apology + handoff");
        return new AllFailedHandoff(llm);
    }

    private static OpenAiChat openAi(String url, String key, String model, String role, List<AutoCloseable> resources,
            List<Runnable> warmers) {
        OpenAiChat chat = OpenAiChat.builder().baseUrl(url).apiKey(key).model(model).providerName("openai-" + role)
                .retryPolicy(new dev.parley.openai.RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .connectTimeout(Duration.ofSeconds(2)).build();
        resources.add(chat);
        warmers.add(() -> chat.warmUp());
        return chat;
    }

    private static TextToSpeech textToSpeech(ParleyConfig.Providers p, Map<String, String> env,
            List<AutoCloseable> resources, List<Runnable> warmers, List<String> stack) {
        var tts = FallbackTextToSpeech.builder().retry(RETRY).deadlines(TTS_DEADLINES);
        List<String> names = new ArrayList<>();
        TtsRequest phone = new TtsRequest("warm-up", 8000, "en-US", "");
        if (!p.cartesia().apiKey().isBlank()) {
            CartesiaTts cartesia = withUrl(CartesiaTts.builder().apiKey(p.cartesia().apiKey()), p.cartesia(),
                    CartesiaTts.Builder::baseUrl).voice(env.getOrDefault(ENV_CARTESIA_VOICE, DEFAULT_CARTESIA_VOICE))
                    .build();
            resources.add(cartesia);
            warmers.add(cartesia::warmUp);
            tts.add(cartesia);
            names.add("cartesia");
        }
        if (!p.elevenlabs().apiKey().isBlank()) {
            ElevenLabsTts eleven = withUrl(ElevenLabsTts.builder().apiKey(p.elevenlabs().apiKey()), p.elevenlabs(),
                    ElevenLabsTts.Builder::baseUrl).voice(env.getOrDefault(ENV_ELEVENLABS_VOICE, DEFAULT_ELEVENLABS_VOICE))
                    .ulaw8k(true).build();
            resources.add(eleven);
            warmers.add(() -> eleven.warmUp(phone));
            tts.add(eleven);
            names.add("elevenlabs");
        }
        if (!p.deepgram().apiKey().isBlank()) {
            var aura = withUrl(DeepgramAuraTts.builder().apiKey(p.deepgram().apiKey()), p.deepgram(),
                    DeepgramAuraTts.Builder::baseUrl);
            String voice = env.getOrDefault(ENV_AURA_VOICE, "").strip();
            tts.add((voice.isEmpty() ? aura : aura.model(voice)).build());
            names.add("aura");
        }
        tts.add(LocalTts.english());
        names.add("freetts");
        stack.add("TTS " + String.join(" > ", names));
        return names.size() == 1 ? LocalTts.english() : tts.name("tts" + names).build();
    }

    private static <B> B withUrl(B builder, ParleyConfig.Provider provider, java.util.function.BiFunction<B, String, B> set) {
        return provider.baseUrl().isBlank() ? builder : set.apply(builder, provider.baseUrl());
    }

    /** Runs a warm-up; a failure is logged (the breaker decides later), except a rejected key when {@code strict}. */
    private static void warm(Runnable warmer, boolean strict) {
        try {
            warmer.run();
        } catch (dev.parley.ParleyException e) {
            if (strict && !e.retryable()) {
                throw e;
            }
            LOG.warn("warm-up failed (the provider's breaker will decide): {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("warm-up failed: {}", e.toString());
        }
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
    public Cart cartOf(String callId) {
        return carts.snapshot(OrderTools.defaultCartId(callId));
    }

    /** One line per SPI: which providers, in fallback order. */
    public String describe() {
        return description;
    }

    /** Stops the keep-warm timer and closes the provider clients. */
    @Override
    public void close() {
        keepWarm.shutdownNow();
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", r, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "CloudOrdering[" + description.toLowerCase(Locale.ROOT) + "]";
    }
}
