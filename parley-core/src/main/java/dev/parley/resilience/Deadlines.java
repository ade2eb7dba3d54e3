package dev.parley.resilience;

import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * Deadlines for one pipeline stage: time to first output and the longest gap between outputs. A guarded stream's
 * {@code next()} throws a retryable {@link StalledException} ("deepgram stalled: no output for 300 ms") as soon as a
 * deadline passes, closes the stalled stream and reports a "stall" {@link dev.parley.ProviderEvent}: a stall is
 * detected by its deadline, not by waiting for the socket to die.
 *
 * <p>Deadlines only run while output is due and the consumer is waiting for it in {@code next()} (time the consumer
 * spends elsewhere is never blamed on the provider):
 * <ul>
 *   <li>LLM: the first event is due {@code firstOutput} after the stream opens; then each next event within
 *       {@code maxGap}.</li>
 *   <li>TTS: output is due only after {@code flush()} or {@code finish()}: first audio within {@code firstOutput}, then
 *       gaps within {@code maxGap} until every flush has its {@code Flushed} (idle text gaps are not stalls).</li>
 *   <li>STT: after {@code finalizeTurn()} or {@code finish()} some result is due within {@code firstOutput}, then gaps
 *       within {@code maxGap} until a {@code Final}; optionally ({@link Builder#sttSilenceWhileSending}) results are
 *       also due while audio keeps being sent (off by default: a caller who is silent legitimately gets none).</li>
 * </ul>
 * Timers run on a small shared scheduler thread (or one given to the builder); the stalled stream is closed on a
 * virtual thread so a slow {@code close()} never delays other timers.
 *
 * <pre>{@code
 * var llmDeadlines = Deadlines.builder().firstOutput(Duration.ofSeconds(3)).maxGap(Duration.ofSeconds(2)).build();
 * LanguageModel guarded = llmDeadlines.guardLlm(openAi);
 * }</pre>
 */
public final class Deadlines {
    private static final class SharedTimer {
        static final ScheduledExecutorService INSTANCE = create();

        private static ScheduledExecutorService create() {
            var ex = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "parley-deadlines");
                t.setDaemon(true);
                return t;
            });
            ex.setRemoveOnCancelPolicy(true);
            return ex;
        }
    }

    private final Duration firstOutput;
    private final Duration maxGap;
    private final @Nullable Duration sttSilence;
    private final @Nullable ScheduledExecutorService scheduler;

    private Deadlines(Builder b) {
        this.firstOutput = b.firstOutput;
        this.maxGap = b.maxGap;
        this.sttSilence = b.sttSilence;
        this.scheduler = b.scheduler;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration firstOutput() {
        return firstOutput;
    }

    public Duration maxGap() {
        return maxGap;
    }

    /** How long STT results may be missing while audio is sent; empty when not checked. */
    public Optional<Duration> sttSilenceWhileSending() {
        return Optional.ofNullable(sttSilence);
    }

    ScheduledExecutorService scheduler() {
        return scheduler != null ? scheduler : SharedTimer.INSTANCE;
    }

    /** A stream with these deadlines; stalls are reported for {@code callId} under {@code provider}. */
    public LlmStream guard(LlmStream stream, String provider, String callId) {
        return new GuardedStream.Llm(stream, this, provider, callId);
    }

    public TtsStream guard(TtsStream stream, String provider, String callId) {
        return new GuardedStream.Tts(stream, this, provider, callId);
    }

    public SttStream guard(SttStream stream, String provider, String callId) {
        return new GuardedStream.Stt(stream, this, provider, callId);
    }

    /** A model whose every stream has these deadlines. */
    public LanguageModel guardLlm(LanguageModel model) {
        return new LanguageModel() {
            @Override
            public LlmStream stream(LlmRequest request) {
                return guard(model.stream(request), model.name(), request.callId());
            }

            @Override
            public String name() {
                return model.name();
            }
        };
    }

    /** A synthesiser whose every stream has these deadlines. */
    public TextToSpeech guardTts(TextToSpeech tts) {
        return new TextToSpeech() {
            @Override
            public TtsStream open(TtsRequest request) {
                return guard(tts.open(request), tts.name(), request.callId());
            }

            @Override
            public String name() {
                return tts.name();
            }
        };
    }

    /** A recogniser whose every stream has these deadlines. */
    public SpeechToText guardStt(SpeechToText stt) {
        return new SpeechToText() {
            @Override
            public SttStream open(SttRequest request) {
                return guard(stt.open(request), stt.name(), request.callId());
            }

            @Override
            public String name() {
                return stt.name();
            }
        };
    }

    @Override
    public String toString() {
        return "Deadlines[first=" + firstOutput.toMillis() + "ms, gap=" + maxGap.toMillis() + "ms]";
    }

    /** Builder. Defaults: first output 3 s, gap 2 s, no STT silence check, the shared timer thread. */
    public static final class Builder {
        private Duration firstOutput = Duration.ofSeconds(3);
        private Duration maxGap = Duration.ofSeconds(2);
        private @Nullable Duration sttSilence;
        private @Nullable ScheduledExecutorService scheduler;

        private Builder() {}

        /** Time to first output (LLM token, TTS audio after a flush, STT result after finalizeTurn). */
        public Builder firstOutput(Duration d) {
            this.firstOutput = RetryPolicy.positive(d);
            return this;
        }

        /** The longest gap between two outputs while more output is due. */
        public Builder maxGap(Duration d) {
            this.maxGap = RetryPolicy.positive(d);
            return this;
        }

        /**
         * For STT streams: fail when audio has been sent for this long without any result. Only for providers that
         * report something (interims, keep-alive results) during silence too.
         */
        public Builder sttSilenceWhileSending(Duration d) {
            this.sttSilence = RetryPolicy.positive(d);
            return this;
        }

        /** The scheduler that runs the timers. Default: one shared daemon thread. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Deadlines build() {
            return new Deadlines(this);
        }
    }
}
