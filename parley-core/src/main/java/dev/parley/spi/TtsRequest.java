package dev.parley.spi;

/**
 * What a synthesis stream is opened with.
 *
 * @param callId the call
 * @param sampleRate the PCM16 rate the audio must come back at
 * @param language BCP-47 tag, e.g. "en-US"
 * @param voice provider voice name or id; empty for the provider's default
 */
public record TtsRequest(String callId, int sampleRate, String language, String voice) {}
