/**
 * JMH benchmarks of Parley's per-frame and per-signal hot paths. Build with {@code ./mvnw -pl parley-bench package}
 * and run {@code java -jar parley-bench/target/benchmarks.jar}; nothing here runs during the build.
 */
@NullMarked
package dev.parley.bench;

import org.jspecify.annotations.NullMarked;
