package dev.parley.examples.ordering;

/** One size of a menu item and its price in cents. */
public record SizePrice(String size, long priceCents) {
    public SizePrice {
        if (priceCents < 0) {
            throw new IllegalArgumentException("negative price for size " + size);
        }
    }
}
