package dev.parley.spi;

import dev.parley.audio.AudioFrame;

/** What a transport receives from the caller's side. */
public sealed interface TransportEvent {
    record Media(AudioFrame frame) implements TransportEvent {}

    /** A keypad digit (0-9, *, #, A-D). */
    record Dtmf(String digit) implements TransportEvent {}

    /** The caller's side has played all audio written before the mark of this name. */
    record MarkPlayed(String name) implements TransportEvent {}

    /** The caller hung up or the connection ended. */
    record HungUp(String reason) implements TransportEvent {}
}
