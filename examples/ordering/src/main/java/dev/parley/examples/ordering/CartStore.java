package dev.parley.examples.ordering;

import java.util.function.UnaryOperator;

/**
 * Where carts live. Writes are optimistic (they name the version they read) and idempotent (a repeated key returns
 * the first outcome and changes nothing). Implementations must be thread-safe. Use {@link Carts#update} rather than
 * {@link #apply} directly: it retries conflicts on a fresh snapshot.
 */
public interface CartStore {
    /** The current cart; an empty cart with version 0 when it was never written. */
    Cart snapshot(String cartId);

    /**
     * Applies {@code change} to the cart if its version is still {@code expectedVersion} and the key is new. The key is
     * checked first: a key already used on this cart returns {@link Replayed} with the first write's snapshots, whatever
     * the version. Otherwise a moved version returns {@link Conflict}. An exception thrown by {@code change} propagates
     * and nothing is written or remembered.
     */
    Result apply(String cartId, long expectedVersion, String idempotencyKey, UnaryOperator<Cart> change);

    /** The outcome of one write attempt. */
    sealed interface Result {}

    /** The change was written: {@code after} has version {@code before.version() + 1}. */
    record Applied(Cart before, Cart after) implements Result {}

    /** The key was used before: the first write's snapshots; nothing changed now. */
    record Replayed(Cart before, Cart after) implements Result {}

    /** The cart moved on since the version read; nothing changed. */
    record Conflict(Cart current) implements Result {}
}
