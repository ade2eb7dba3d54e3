package dev.parley.spi;

/** The streamed answer of one model step. */
public interface LlmStream extends PullStream<LlmEvent> {}
