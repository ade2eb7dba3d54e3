@NullMarked
package dev.parley.spi;

import org.jspecify.annotations.NullMarked;
