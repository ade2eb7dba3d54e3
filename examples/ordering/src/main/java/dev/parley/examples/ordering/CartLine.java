package dev.parley.examples.ordering;

import java.util.List;

/**
 * One line of a cart. Money is in whole cents.
 *
 * @param lineId stable id within the cart ("L1")
 * @param itemId the menu item
 * @param size the size ordered
 * @param quantity how many, 1 to 20
 * @param modifierIds modifiers applied to each unit
 * @param unitPriceCents price of one unit including modifiers
 */
public record CartLine(String lineId, String itemId, String size, int quantity, List<String> modifierIds, long unitPriceCents) {
    public CartLine {
        modifierIds = List.copyOf(modifierIds);
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1: " + quantity);
        }
        if (unitPriceCents < 0) {
            throw new IllegalArgumentException("negative unit price");
        }
    }

    public long lineTotalCents() {
        return Math.multiplyExact(unitPriceCents, quantity);
    }
}
