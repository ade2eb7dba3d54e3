/** Parley public API: the voice agent builder, call sessions and call events. */
@NullMarked
package dev.parley;

import org.jspecify.annotations.NullMarked;
