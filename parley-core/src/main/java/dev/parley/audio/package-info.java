@NullMarked
package dev.parley.audio;

import org.jspecify.annotations.NullMarked;
