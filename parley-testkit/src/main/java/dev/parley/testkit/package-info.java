/**
 * Test kit: fakes for every SPI with scriptable timings, an in-memory call transport, and abstract
 * contract suites that provider modules extend.
 */
@NullMarked
package dev.parley.testkit;

import org.jspecify.annotations.NullMarked;
