package dev.parley.testkit;

import java.time.Instant;

/**
 * A mark the far end reported as played.
 *
 * @param name the mark's name
 * @param at when it was echoed (transport clock)
 * @param byClear true when echoed because of a clear (the audio before it was not all heard)
 */
public record MarkEcho(String name, Instant at, boolean byClear) {}
