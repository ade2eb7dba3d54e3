package dev.parley.silero;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.parley.ParleyException;
import dev.parley.spi.VadSession;
import dev.parley.spi.VoiceActivityDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silero VAD v5 on ONNX Runtime, at 8 kHz (256-sample windows, 32 ms) or 16 kHz (512-sample
 * windows, 32 ms).
 *
 * <p>One instance holds one ONNX Runtime session (the model, about 2 MB) that every
 * {@link VadSession} it opens shares: create it once per process and open a session per call.
 * Each session keeps its own recurrent state, a 32 ms window buffer (frames of any length may be
 * fed) and the last 64 (16 kHz) or 32 (8 kHz) samples of the previous window, which the model
 * sees as context in front of each window. Inference runs on the calling thread, single-threaded
 * (ONNX Runtime's run is thread-safe, so sessions may be fed from different threads at once);
 * it costs about 0.2 ms of CPU per 32 ms window.
 *
 * <p>Hysteresis (see {@link Builder}): speech starts once the probability has stayed at or above
 * the start threshold (not dipping below the stop threshold) for the minimum speech, and ends
 * after the probability has stayed below the start threshold, having dropped below the stop
 * threshold, for the minimum silence. Event times are offsets into the session's audio, widened
 * by the speech pad.
 *
 * <p>Other sample rates are rejected: resample to 8 or 16 kHz first.
 */
public final class SileroVad implements VoiceActivityDetector, AutoCloseable {
    /** Default start threshold. */
    public static final float DEFAULT_START_THRESHOLD = 0.5f;
    /** Default minimum speech: three 32 ms windows, so a start is confirmed about 0.1 s after onset. */
    public static final Duration DEFAULT_MIN_SPEECH = Duration.ofMillis(96);
    /** Default minimum silence before speech ends; bridges the short dips between words. */
    public static final Duration DEFAULT_MIN_SILENCE = Duration.ofMillis(300);
    /** Default pad added before the onset and after the end of speech. */
    public static final Duration DEFAULT_SPEECH_PAD = Duration.ofMillis(30);

    static final String MODEL_RESOURCE = "silero_vad_v5.onnx";
    private static final Logger log = LoggerFactory.getLogger(SileroVad.class);
    private static final Set<String> INPUTS = Set.of("input", "state", "sr");
    private static final Set<String> OUTPUTS = Set.of("output", "stateN");

    private final OrtEnvironment env;
    private final OrtSession model;
    private final VadSettings settings;
    private volatile boolean closed;

    private SileroVad(OrtEnvironment env, OrtSession model, VadSettings settings) {
        this.env = env;
        this.model = model;
        this.settings = settings;
    }

    /** A detector with the bundled Silero VAD v5 model and default hysteresis. */
    public static SileroVad create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens one stream's detector state.
     *
     * @throws ParleyException if the rate is not 8000 or 16000 Hz, or this detector is closed
     */
    @Override
    public VadSession open(int sampleRate) {
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new ParleyException("Silero VAD supports 8000 and 16000 Hz audio only, not " + sampleRate
                    + " Hz: resample the stream first");
        }
        if (closed) {
            throw new ParleyException("Silero VAD detector is closed");
        }
        return new SileroVadSession(this, sampleRate, new SpeechGate(settings, sampleRate));
    }

    @Override
    public String name() {
        return "silero-vad-v5";
    }

    public float startThreshold() {
        return settings.startThreshold();
    }

    public float stopThreshold() {
        return settings.stopThreshold();
    }

    public Duration minSpeech() {
        return settings.minSpeech();
    }

    public Duration minSilence() {
        return settings.minSilence();
    }

    public Duration speechPad() {
        return settings.speechPad();
    }

    /** Releases the model. Close the sessions first: sessions used afterwards fail. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            model.close();
        } catch (OrtException e) {
            throw new ParleyException("could not close the Silero VAD model", e);
        }
    }

    OrtEnvironment env() {
        return env;
    }

    OrtSession model() {
        return model;
    }

    boolean closed() {
        return closed;
    }

    /** Configures a {@link SileroVad}; every setting has a default. */
    public static final class Builder {
        private @Nullable Path modelPath;
        private float startThreshold = DEFAULT_START_THRESHOLD;
        private float stopThreshold = Float.NaN;
        private Duration minSpeech = DEFAULT_MIN_SPEECH;
        private Duration minSilence = DEFAULT_MIN_SILENCE;
        private Duration speechPad = DEFAULT_SPEECH_PAD;

        private Builder() {}

        /** A Silero VAD v5 ONNX file to use instead of the bundled one (same inputs and outputs). */
        public Builder modelPath(Path modelPath) {
            this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
            return this;
        }

        /** Probability at or above which a window counts as speech; default 0.5. */
        public Builder startThreshold(float threshold) {
            this.startThreshold = threshold;
            return this;
        }

        /**
         * Probability below which a window counts as silence; windows between the two thresholds
         * keep the current state. Default: start threshold − 0.15, but at least half of it.
         */
        public Builder stopThreshold(float threshold) {
            this.stopThreshold = threshold;
            return this;
        }

        /** How long speech must last before it is reported; default 96 ms. */
        public Builder minSpeech(Duration minSpeech) {
            this.minSpeech = Objects.requireNonNull(minSpeech, "minSpeech");
            return this;
        }

        /** How long silence must last before speech is reported ended; default 300 ms. */
        public Builder minSilence(Duration minSilence) {
            this.minSilence = Objects.requireNonNull(minSilence, "minSilence");
            return this;
        }

        /** Moves reported starts earlier and ends later by this much; default 30 ms. */
        public Builder speechPad(Duration speechPad) {
            this.speechPad = Objects.requireNonNull(speechPad, "speechPad");
            return this;
        }

        /**
         * Loads the model (a few hundred milliseconds the first time, which includes loading the
         * ONNX Runtime native library).
         *
         * @throws IllegalArgumentException if a setting is out of range
         * @throws ParleyException if the model cannot be read or is not a Silero VAD v5 model
         */
        public SileroVad build() {
            float stop = Float.isNaN(stopThreshold) ? Math.max(startThreshold - 0.15f, startThreshold / 2) : stopThreshold;
            VadSettings settings = new VadSettings(startThreshold, stop, minSpeech, minSilence, speechPad);
            long begin = System.nanoTime();
            byte[] bytes = modelPath == null ? bundledModel() : readModel(modelPath);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession model = loadModel(env, bytes);
            log.debug("Silero VAD model loaded in {} ms", (System.nanoTime() - begin) / 1_000_000);
            return new SileroVad(env, model, settings);
        }

        private static byte[] bundledModel() {
            try (InputStream in = SileroVad.class.getResourceAsStream(MODEL_RESOURCE)) {
                if (in == null) {
                    throw new ParleyException("the bundled Silero VAD model " + MODEL_RESOURCE
                            + " is missing from the classpath (the parley-silero build fetches it)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ParleyException("could not read the bundled Silero VAD model", e);
            }
        }

        private static byte[] readModel(Path path) {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new ParleyException("could not read the Silero VAD model " + path, e);
            }
        }

        private static OrtSession loadModel(OrtEnvironment env, byte[] bytes) {
            OrtSession model;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                model = env.createSession(bytes, options);
            } catch (OrtException e) {
                throw new ParleyException("could not load the Silero VAD model: " + e.getMessage(), e);
            }
            try {
                checkSignature(model.getInputInfo(), model.getOutputInfo());
                return model;
            } catch (OrtException | ParleyException e) {
                try {
                    model.close();
                } catch (OrtException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof ParleyException pe ? pe : new ParleyException("could not inspect the Silero VAD model", e);
            }
        }

        private static void checkSignature(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
            if (!inputs.keySet().equals(INPUTS) || !outputs.keySet().equals(OUTPUTS)) {
                throw new ParleyException("not a Silero VAD v5 model: inputs " + inputs.keySet() + ", outputs "
                        + outputs.keySet() + " (expected " + INPUTS + " and " + OUTPUTS + ")");
            }
        }
    }
}
