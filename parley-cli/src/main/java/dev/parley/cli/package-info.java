/** The {@code parley} command: local calls on the embedded stack, microphone talk, journal replay, the demo. */
@NullMarked
package dev.parley.cli;

import org.jspecify.annotations.NullMarked;
