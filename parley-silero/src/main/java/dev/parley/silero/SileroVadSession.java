package dev.parley.silero;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One stream's Silero state. All tensors are created once and backed by direct buffers that ONNX
 * Runtime reads and writes in place: a window costs no tensor allocation. The recurrent state
 * ping-pongs between two tensors (one is the input {@code state}, the other receives
 * {@code stateN}), swapping roles every window.
 */
final class SileroVadSession implements VadSession {
    private static final int STATE_SIZE = 2 * 1 * 128;
    private static final float SCALE = 1f / 32768f;

    private final SileroVad detector;
    private final SpeechGate gate;
    private final int sampleRate;
    private final int window;
    private final int context;
    /** Model input: {@code [context | window]}, context = tail of the previous window (zeros at first). */
    private final FloatBuffer input;
    /** A second view of {@link #input}, the source when moving the tail to the front. */
    private final FloatBuffer inputView;
    private final FloatBuffer output;
    private final List<OnnxTensor> tensors = new ArrayList<>(6);
    private final Map<String, OnnxTensor> inputsEven;
    private final Map<String, OnnxTensor> outputsEven;
    private final Map<String, OnnxTensor> inputsOdd;
    private final Map<String, OnnxTensor> outputsOdd;

    private boolean odd;
    private int filled;
    private long position;
    private float probability;
    private boolean closed;

    SileroVadSession(SileroVad detector, int sampleRate, SpeechGate gate) {
        this.detector = detector;
        this.gate = gate;
        this.sampleRate = sampleRate;
        this.window = sampleRate == 16000 ? 512 : 256;
        this.context = sampleRate == 16000 ? 64 : 32;
        this.input = directFloats(context + window);
        this.inputView = input.duplicate();
        this.output = directFloats(1);
        try {
            var env = detector.env();
            OnnxTensor in = track(OnnxTensor.createTensor(env, input, new long[] {1, context + window}));
            OnnxTensor sr = track(OnnxTensor.createTensor(env, (long) sampleRate));
            OnnxTensor out = track(OnnxTensor.createTensor(env, output, new long[] {1, 1}));
            long[] stateShape = {2, 1, 128};
            OnnxTensor stateA = track(OnnxTensor.createTensor(env, directFloats(STATE_SIZE), stateShape));
            OnnxTensor stateB = track(OnnxTensor.createTensor(env, directFloats(STATE_SIZE), stateShape));
            this.inputsEven = Map.of("input", in, "state", stateA, "sr", sr);
            this.outputsEven = Map.of("output", out, "stateN", stateB);
            this.inputsOdd = Map.of("input", in, "state", stateB, "sr", sr);
            this.outputsOdd = Map.of("output", out, "stateN", stateA);
        } catch (OrtException e) {
            close();
            throw new ParleyException("could not allocate Silero VAD tensors", e);
        }
    }

    @Override
    public List<VadEvent> accept(AudioFrame frame) {
        if (closed) {
            throw new ParleyException("Silero VAD session is closed");
        }
        if (frame.sampleRate() != sampleRate) {
            throw new ParleyException("frame at " + frame.sampleRate() + " Hz fed to a Silero VAD session opened at "
                    + sampleRate + " Hz");
        }
        short[] samples = frame.samples();
        List<VadEvent> events = List.of();
        int i = 0;
        while (i < samples.length) {
            int n = Math.min(window - filled, samples.length - i);
            int at = context + filled;
            for (int k = 0; k < n; k++) {
                input.put(at + k, samples[i + k] * SCALE);
            }
            filled += n;
            i += n;
            if (filled == window) {
                VadEvent event = runWindow();
                if (event != null) {
                    if (events.isEmpty()) {
                        events = new ArrayList<>(2);
                    }
                    events.add(event);
                }
            }
        }
        return events.isEmpty() ? events : Collections.unmodifiableList(events);
    }

    private @Nullable VadEvent runWindow() {
        if (detector.closed()) {
            throw new ParleyException("the Silero VAD detector of this session is closed");
        }
        OrtSession.Result result;
        try {
            result = detector.model().run(odd ? inputsOdd : inputsEven, odd ? outputsOdd : outputsEven);
        } catch (OrtException e) {
            throw new ParleyException("Silero VAD inference failed: " + e.getMessage(), e);
        }
        result.close(); // the outputs are pinned: they already sit in this session's buffers
        odd = !odd;
        probability = output.get(0);
        input.put(0, inputView, window, context);
        filled = 0;
        long start = position;
        position += window;
        return gate.update(probability, start, position);
    }

    @Override
    public float probability() {
        return probability;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tensors.forEach(OnnxTensor::close);
        tensors.clear();
    }

    private OnnxTensor track(OnnxTensor tensor) {
        tensors.add(tensor);
        return tensor;
    }

    private static FloatBuffer directFloats(int count) {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
