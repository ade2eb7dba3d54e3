package dev.parley.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy p = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(5));

    @Test
    void backoffDoublesIsCappedAndJitteredDown() {
        var random = new Random(1);
        for (int i = 0; i < 200; i++) {
            assertThat(p.delayBefore(2, Optional.empty(), random).orElseThrow())
                    .isBetween(Duration.ofMillis(150), Duration.ofMillis(200));
            assertThat(p.delayBefore(3, Optional.empty(), random).orElseThrow())
                    .isBetween(Duration.ofMillis(300), Duration.ofMillis(400));
            assertThat(p.delayBefore(4, Optional.empty(), random).orElseThrow())
                    .isBetween(Duration.ofMillis(375), Duration.ofMillis(500));
        }
        assertThat(p.delayBefore(5, Optional.empty(), random)).as("attempts used up").isEmpty();
    }

    @Test
    void serverDelayIsHonouredUpToTheLimit() {
        var random = new Random(1);
        assertThat(p.delayBefore(2, Optional.of(Duration.ofSeconds(3)), random)).contains(Duration.ofSeconds(3));
        assertThat(p.delayBefore(2, Optional.of(Duration.ofSeconds(30)), random)).as("too long for a caller").isEmpty();
        assertThat(RetryPolicy.none().delayBefore(2, Optional.empty(), random)).isEmpty();
    }
}
