/**
 * The load benchmark: {@link dev.parley.bench.load.LoadBench} places many concurrent simulated Twilio calls
 * (real FreeTTS caller speech, paced by the wall clock) against a Parley server and reports turn gap,
 * orchestration overhead, barge-in reaction, failures, CPU and heap per call (DESIGN.md §6).
 */
@NullMarked
package dev.parley.bench.load;

import org.jspecify.annotations.NullMarked;
