/**
 * The pure, replayable decision core of a call: {@link dev.parley.machine.CallMachine} maps (state, signal, time)
 * to (next state, effects); {@link dev.parley.machine.Journal} records and replays those decisions. Public so that
 * applications and the test kit can replay journals and simulate calls; the threads that apply decisions live in
 * {@code dev.parley.internal}.
 */
@NullMarked
package dev.parley.machine;

import org.jspecify.annotations.NullMarked;
