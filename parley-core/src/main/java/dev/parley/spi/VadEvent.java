package dev.parley.spi;

import java.time.Duration;

/** Speech transitions, with offsets into the session's audio. Hysteresis is already applied. */
public sealed interface VadEvent {
    /** Speech began at {@code at} (the detector confirms it a little later, after its minimum speech). */
    record SpeechStarted(Duration at) implements VadEvent {}

    /** Speech ended at {@code at} (confirmed after the minimum silence), having lasted {@code speech}. */
    record SpeechEnded(Duration at, Duration speech) implements VadEvent {}
}
