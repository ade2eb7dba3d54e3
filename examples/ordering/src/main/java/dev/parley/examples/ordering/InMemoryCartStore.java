package dev.parley.examples.ordering;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A thread-safe {@link CartStore} in memory: one lock per cart; per cart it remembers the outcomes of the last
 * {@value #KEYS_PER_CART} idempotency keys.
 */
public final class InMemoryCartStore implements CartStore {
    static final int KEYS_PER_CART = 4096;

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile Cart cart;
        final Map<String, Replayed> outcomes = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Replayed> eldest) {
                return size() > KEYS_PER_CART;
            }
        };

        Slot(String cartId) {
            this.cart = Cart.empty(cartId);
        }
    }

    @Override
    public Cart snapshot(String cartId) {
        Slot slot = slots.get(cartId);
        return slot == null ? Cart.empty(cartId) : slot.cart;
    }

    @Override
    public Result apply(String cartId, long expectedVersion, String idempotencyKey, UnaryOperator<Cart> change) {
        Slot slot = slots.computeIfAbsent(cartId, Slot::new);
        slot.lock.lock();
        try {
            Replayed previous = slot.outcomes.get(idempotencyKey);
            if (previous != null) {
                return previous;
            }
            Cart before = slot.cart;
            if (before.version() != expectedVersion) {
                return new Conflict(before);
            }
            Cart after = change.apply(before).withVersion(before.version() + 1);
            if (!after.id().equals(cartId)) {
                throw new IllegalStateException("a change must not change the cart id");
            }
            slot.cart = after;
            slot.outcomes.put(idempotencyKey, new Replayed(before, after));
            return new Applied(before, after);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Forgets every cart (tests, demos). */
    public void clear() {
        slots.clear();
    }
}
