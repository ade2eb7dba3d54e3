package dev.parley.examples.ordering;

import java.util.List;

/**
 * A change to an item ("no onions", "extra cheese"), its price per unit in cents, and other ways callers say it.
 */
public record Modifier(String id, String name, long priceCents, List<String> aliases) {
    public Modifier {
        aliases = List.copyOf(aliases);
    }
}
