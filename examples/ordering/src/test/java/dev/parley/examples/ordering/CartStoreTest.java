package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CartStoreTest {
    private final InMemoryCartStore store = new InMemoryCartStore();

    private static CartLine coke(int quantity) {
        return new CartLine("", "coke", "medium", quantity, List.of(), 249);
    }

    @Test
    void unknownCartIsEmptyAtVersionZero() {
        Cart cart = store.snapshot("c1");
        assertThat(cart.version()).isZero();
        assertThat(cart.lines()).isEmpty();
        assertThat(cart.status()).isEqualTo(CartStatus.OPEN);
    }

    @Test
    void writeBumpsTheVersionAndNumbersLines() {
        var result = store.apply("c1", 0, "k1", c -> c.add(coke(1)));

        assertThat(result).isInstanceOf(CartStore.Applied.class);
        Cart cart = store.snapshot("c1");
        assertThat(cart.version()).isEqualTo(1);
        assertThat(cart.lines()).extracting(CartLine::lineId).containsExactly("L1");
        store.apply("c1", 1, "k2", c -> c.add(coke(2)));
        assertThat(store.snapshot("c1").lines()).extracting(CartLine::lineId).containsExactly("L1", "L2");
        assertThat(store.snapshot("c1").totalCents()).isEqualTo(3 * 249);
    }

    @Test
    void staleVersionConflictsAndChangesNothing() {
        store.apply("c1", 0, "k1", c -> c.add(coke(1)));

        var result = store.apply("c1", 0, "k2", c -> c.add(coke(5)));

        assertThat(result).isInstanceOf(CartStore.Conflict.class);
        assertThat(((CartStore.Conflict) result).current().version()).isEqualTo(1);
        assertThat(store.snapshot("c1").lines()).hasSize(1);
    }

    @Test
    void repeatedKeyReturnsTheFirstOutcomeAndChangesNothing() {
        var first = store.apply("c1", 0, "same", c -> c.add(coke(1)));
        store.apply("c1", 1, "other", c -> c.add(coke(2)));

        var again = store.apply("c1", 2, "same", c -> c.add(coke(1)));

        assertThat(again).isInstanceOf(CartStore.Replayed.class);
        var applied = (CartStore.Applied) first;
        var replayed = (CartStore.Replayed) again;
        assertThat(replayed.after()).isEqualTo(applied.after());
        assertThat(replayed.before()).isEqualTo(applied.before());
        assertThat(store.snapshot("c1").lines()).hasSize(2);
        assertThat(store.snapshot("c1").version()).isEqualTo(2);
    }

    @Test
    void aFailingChangeWritesNothingAndDoesNotUseTheKey() {
        assertThatThrownBy(() -> store.apply("c1", 0, "k", c -> {
            throw new CartException("nope", "rejected", false);
        })).isInstanceOf(CartException.class);
        assertThat(store.snapshot("c1").version()).isZero();

        assertThat(store.apply("c1", 0, "k", c -> c.add(coke(1)))).isInstanceOf(CartStore.Applied.class);
    }

    @Test
    void updateRetriesAConflictOnTheFreshSnapshot() {
        int[] attempts = {0};
        CartStore racing = new CartStore() {
            @Override
            public Cart snapshot(String cartId) {
                return store.snapshot(cartId);
            }

            @Override
            public Result apply(String cartId, long expectedVersion, String key, UnaryOperator<Cart> change) {
                if (attempts[0]++ == 0) {
                    // Another writer gets in between our read and our write.
                    store.apply(cartId, expectedVersion, "intruder", c -> c.add(coke(3)));
                }
                return store.apply(cartId, expectedVersion, key, change);
            }
        };

        Carts.Committed done = Carts.update(racing, "c1", "mine", c -> c.add(coke(1)));

        assertThat(attempts[0]).isEqualTo(2);
        assertThat(done.replayed()).isFalse();
        assertThat(done.before().version()).isEqualTo(1);
        assertThat(done.after().version()).isEqualTo(2);
        assertThat(store.snapshot("c1").lines()).extracting(CartLine::quantity).containsExactly(3, 1);
    }

    @Test
    void updateGivesUpAfterBoundedAttempts() {
        int[] attempts = {0};
        CartStore alwaysMoved = new CartStore() {
            @Override
            public Cart snapshot(String cartId) {
                return Cart.empty(cartId);
            }

            @Override
            public Result apply(String cartId, long expectedVersion, String key, UnaryOperator<Cart> change) {
                attempts[0]++;
                return new Conflict(Cart.empty(cartId).withVersion(expectedVersion + 1));
            }
        };

        assertThatThrownBy(() -> Carts.update(alwaysMoved, "c", "k", c -> c))
                .isInstanceOfSatisfying(CartException.class, e -> {
                    assertThat(e.code()).isEqualTo("busy");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(attempts[0]).isEqualTo(Carts.MAX_ATTEMPTS);
    }

    @Test
    void concurrentWritersLoseNoUpdateAndDuplicateNoLine() throws Exception {
        int threads = 8;
        int perThread = 40;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String key = "t" + id + "-" + i;
                        Carts.update(store, "shared", key, c -> c.add(coke(1)));
                        // A retried request (same key) must not add a second line.
                        Carts.Committed again = Carts.update(store, "shared", key, c -> c.add(coke(1)));
                        assertThat(again.replayed()).isTrue();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        Cart cart = store.snapshot("shared");
        assertThat(cart.lines()).hasSize(threads * perThread);
        assertThat(new HashSet<>(cart.lines().stream().map(CartLine::lineId).toList())).hasSize(threads * perThread);
        assertThat(cart.version()).isEqualTo(threads * perThread);
        assertThat(cart.nextLine()).isEqualTo(threads * perThread + 1);
    }

    @Test
    void concurrentIncrementsOfOneLineAllCount() throws Exception {
        store.apply("c", 0, "first", c -> c.add(coke(1)));
        int threads = 6;
        int perThread = 50;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Carts.update(store, "c", id + ":" + i, c -> {
                            CartLine l = c.line("L1").orElseThrow();
                            return c.replace(new CartLine(l.lineId(), l.itemId(), l.size(), l.quantity() + 1, l.modifierIds(),
                                    l.unitPriceCents()));
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(store.snapshot("c").line("L1").orElseThrow().quantity()).isEqualTo(1 + threads * perThread);
    }

    @Test
    void moneyIsExactInCents() {
        Cart cart = Cart.empty("c").add(new CartLine("", "x", "regular", 3, List.of(), 1999))
                .add(new CartLine("", "y", "regular", 7, List.of(), 1));
        assertThat(cart.totalCents()).isEqualTo(3 * 1999 + 7);
        assertThat(Money.format(cart.totalCents())).isEqualTo("60.04");
        assertThat(Money.parse("60.04")).isEqualTo(6004);
        assertThat(Money.speak(6004)).isEqualTo("sixty dollars and four cents");
        assertThat(Money.speak(100)).isEqualTo("one dollar");
    }
}
