/**
 * The restaurant order-taking example: Tony's Pizza menu, carts with optimistic concurrency and idempotent writes, the
 * ordering tools, and {@link dev.parley.examples.ordering.OrderEngine}, an offline deterministic dialogue engine that
 * speaks the {@link dev.parley.spi.LanguageModel} SPI.
 */
@NullMarked
package dev.parley.examples.ordering;

import org.jspecify.annotations.NullMarked;
