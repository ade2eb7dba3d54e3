/**
 * Silero VAD v5 (MIT) on ONNX Runtime as a Parley {@link dev.parley.spi.VoiceActivityDetector}.
 * Entry point: {@link dev.parley.silero.SileroVad}.
 */
@NullMarked
package dev.parley.silero;

import org.jspecify.annotations.NullMarked;
