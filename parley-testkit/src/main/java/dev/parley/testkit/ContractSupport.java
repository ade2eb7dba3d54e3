package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ParleyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Checks shared by the contract suites. */
final class ContractSupport {
    /** How fast {@code close()} must unblock a pending {@code next()}. */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(1);

    private ContractSupport() {}

    /** Runs {@code action}; it may return or throw ParleyException/IllegalStateException, nothing else. */
    static void returnsOrFailsCleanly(String what, Runnable action) {
        try {
            action.run();
        } catch (ParleyException | IllegalStateException expected) {
            // a clean refusal is allowed
        } catch (RuntimeException e) {
            throw new AssertionError(what + " after close threw " + e, e);
        }
    }

    /** Calls {@code close} from several threads at once, then again; none may throw. */
    static void closeFromManyThreads(AutoCloseable stream) throws Exception {
        var start = new CountDownLatch(1);
        var errors = new ArrayList<Throwable>();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < 3; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    stream.close();
                } catch (Throwable t) {
                    synchronized (errors) {
                        errors.add(t);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(5))).as("close returned").isTrue();
        }
        stream.close();
        assertThat(errors).as("exceptions from concurrent close()").isEmpty();
    }

    /** Lower-case words without punctuation. */
    static List<String> words(String text) {
        String norm = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ").strip();
        return norm.isEmpty() ? List.of() : List.of(norm.split("\\s+"));
    }
}
