@NullMarked
package dev.parley.internal;

import org.jspecify.annotations.NullMarked;
