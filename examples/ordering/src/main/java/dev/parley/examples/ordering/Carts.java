package dev.parley.examples.ordering;

import java.util.function.UnaryOperator;

/** Helpers over a {@link CartStore}: the read-modify-write loop with bounded retries on conflicts. */
public final class Carts {
    /** How many times a write is attempted before giving up on a contended cart. */
    public static final int MAX_ATTEMPTS = 64;

    private Carts() {}

    /**
     * A committed write.
     *
     * @param before the cart the change was applied to
     * @param after the cart it produced
     * @param replayed true when the key had been used: these are the first write's snapshots and nothing changed now
     */
    public record Committed(Cart before, Cart after, boolean replayed) {}

    /**
     * Reads the cart, applies {@code change} with the version read, and on a conflict does it again on the fresh
     * snapshot, at most {@link #MAX_ATTEMPTS} times. {@code change} must be a pure function of the cart it is given.
     *
     * @throws CartException with code "busy" (retryable) when every attempt conflicted, or as thrown by {@code change}
     */
    public static Committed update(CartStore store, String cartId, String idempotencyKey, UnaryOperator<Cart> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Cart current = store.snapshot(cartId);
            CartStore.Result result = store.apply(cartId, current.version(), idempotencyKey, change);
            switch (result) {
                case CartStore.Applied(Cart before, Cart after) -> {
                    return new Committed(before, after, false);
                }
                case CartStore.Replayed(Cart before, Cart after) -> {
                    return new Committed(before, after, true);
                }
                case CartStore.Conflict c -> Thread.onSpinWait();
            }
        }
        throw new CartException("busy", "the cart is busy, please try again", true);
    }
}
