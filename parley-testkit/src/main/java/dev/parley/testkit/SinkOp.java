package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.time.Instant;

/** What the agent did to an {@link InMemoryTransport}, with the transport clock's time. */
public sealed interface SinkOp {
    Instant at();

    record Write(Instant at, AudioFrame frame) implements SinkOp {}

    record Mark(Instant at, String name) implements SinkOp {}

    /** {@code dropped}: the audio that had not been played yet and was discarded. */
    record Clear(Instant at, Duration dropped) implements SinkOp {}

    /** The agent hung up; {@code unplayed}: audio written but never played. */
    record HangUp(Instant at, Duration unplayed) implements SinkOp {}

    record Transfer(Instant at, String reason) implements SinkOp {}
}
