package dev.parley.examples.ordering;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A caller's order: a versioned, immutable snapshot. Every write through a {@link CartStore} produces a new snapshot
 * with the next version.
 *
 * @param id the cart id
 * @param version 0 for a cart never written, then +1 per write
 * @param status open, or confirmed once the order is placed
 * @param lines the lines in the order they were added
 * @param nextLine the number the next added line gets ("L" + nextLine)
 * @param orderNumber the order number once confirmed, "" before
 */
public record Cart(String id, long version, CartStatus status, List<CartLine> lines, int nextLine, String orderNumber) {
    public Cart {
        lines = List.copyOf(lines);
    }

    public static Cart empty(String id) {
        return new Cart(id, 0, CartStatus.OPEN, List.of(), 1, "");
    }

    public long totalCents() {
        return lines.stream().mapToLong(CartLine::lineTotalCents).sum();
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public boolean confirmed() {
        return status == CartStatus.CONFIRMED;
    }

    public Optional<String> order() {
        return orderNumber.isEmpty() ? Optional.empty() : Optional.of(orderNumber);
    }

    public Optional<CartLine> line(String lineId) {
        return lines.stream().filter(l -> l.lineId().equals(lineId)).findFirst();
    }

    /** Adds a line, giving it the next line id (the {@code lineId} passed in is ignored). */
    public Cart add(CartLine line) {
        List<CartLine> next = new ArrayList<>(lines);
        next.add(new CartLine("L" + nextLine, line.itemId(), line.size(), line.quantity(), line.modifierIds(),
                line.unitPriceCents()));
        return new Cart(id, version, status, next, nextLine + 1, orderNumber);
    }

    /** Replaces the line with the same id. */
    public Cart replace(CartLine line) {
        List<CartLine> next = lines.stream().map(l -> l.lineId().equals(line.lineId()) ? line : l).toList();
        return new Cart(id, version, status, next, nextLine, orderNumber);
    }

    public Cart remove(String lineId) {
        List<CartLine> next = lines.stream().filter(l -> !l.lineId().equals(lineId)).toList();
        return new Cart(id, version, status, next, nextLine, orderNumber);
    }

    public Cart confirm(String number) {
        return new Cart(id, version, CartStatus.CONFIRMED, lines, nextLine, number);
    }

    Cart withVersion(long v) {
        return new Cart(id, v, status, lines, nextLine, orderNumber);
    }
}
