package dev.parley.spi;

/** What happens to a running tool when the caller barges in. */
public enum ToolPolicy {
    /** The tool is cancelled (interrupted) and its call is answered "cancelled". */
    CANCEL_ON_BARGE_IN,
    /** The tool finishes; its result is still reported to the model. Use for side effects. */
    RUN_TO_COMPLETION
}
