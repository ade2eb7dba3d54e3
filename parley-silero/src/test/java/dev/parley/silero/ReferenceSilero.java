package dev.parley.silero;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plain way to run Silero v5 (fresh tensors per window, state copied out of the result),
 * written independently of {@link SileroVadSession} to check its zero-copy path against.
 */
final class ReferenceSilero {
    private ReferenceSilero() {}

    static List<Float> probabilities(OrtSession model, short[] samples, int sampleRate) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int window = sampleRate == 16000 ? 512 : 256;
        int context = window / 8;
        float[] state = new float[2 * 128];
        float[] previous = new float[window + context];
        List<Float> out = new ArrayList<>();
        try (OnnxTensor sr = OnnxTensor.createTensor(env, (long) sampleRate)) {
            for (int from = 0; from + window <= samples.length; from += window) {
                float[] x = new float[context + window];
                System.arraycopy(previous, previous.length - context, x, 0, context);
                for (int i = 0; i < window; i++) {
                    x[context + i] = samples[from + i] / 32768f;
                }
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, context + window});
                        OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[] {2, 1, 128});
                        OrtSession.Result r = model.run(Map.of("input", in, "state", st, "sr", sr))) {
                    out.add(((OnnxTensor) r.get("output").orElseThrow()).getFloatBuffer().get(0));
                    ((OnnxTensor) r.get("stateN").orElseThrow()).getFloatBuffer().get(state);
                }
                previous = x;
            }
        }
        return out;
    }
}
