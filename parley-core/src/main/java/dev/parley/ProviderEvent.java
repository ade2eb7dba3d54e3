package dev.parley;

/**
 * Something a provider (or a wrapper around providers) wants on the record of a call: an error, a retry, a
 * failover, a stall, a routing decision. Reported through {@link ProviderEvents}; journalled and emitted as a
 * {@link CallEvent.ProviderNote}. {@code detail} must not contain personal data (no transcripts, no numbers).
 *
 * @param kind "error", "retry", "stall", "failover", "routing", "circuit-open", ...
 * @param provider the provider's name ("deepgram", "openai:gpt-4.1-mini")
 * @param detail a short description
 */
public record ProviderEvent(String kind, String provider, String detail) {}
