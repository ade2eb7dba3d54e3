/**
 * Failure handling around providers: per-stage {@link dev.parley.resilience.Deadlines} that turn a stalled stream
 * into a retryable error, a {@link dev.parley.resilience.RetryPolicy} with full-jitter backoff, a
 * {@link dev.parley.resilience.CircuitBreaker} per provider, fallback chains for each SPI
 * ({@link dev.parley.resilience.FallbackLanguageModel}, {@link dev.parley.resilience.FallbackTextToSpeech},
 * {@link dev.parley.resilience.FallbackSpeechToText}) that fail over mid-turn, and a per-turn
 * {@link dev.parley.resilience.ModelRouter}. Every error, retry, stall, failover, circuit change and routing decision
 * is reported with {@link dev.parley.ProviderEvents#report} under the request's call id, so it is journalled and
 * counted.
 */
@NullMarked
package dev.parley.resilience;

import org.jspecify.annotations.NullMarked;
