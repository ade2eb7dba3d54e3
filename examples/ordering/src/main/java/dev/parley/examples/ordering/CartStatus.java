package dev.parley.examples.ordering;

/** Whether a cart can still change. */
public enum CartStatus {
    OPEN,
    CONFIRMED
}
