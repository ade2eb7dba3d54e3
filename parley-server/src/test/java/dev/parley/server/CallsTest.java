package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.twilio.TwilioSocket;
import dev.parley.twilio.TwilioTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Admission: reservations from the webhook, the limit, and draining. */
class CallsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
    private final Calls calls = new Calls(2, Duration.ofSeconds(60), now::get);
    private final TwilioTransport transport = TwilioTransport.builder(new TwilioSocket() {
        @Override
        public void sendText(String text) {
        }

        @Override
        public void close(int code, String reason) {
        }
    }).build();

    @Test
    void reservationsCountUntilTheStreamStartsOrTheyExpire() {
        assertThat(calls.admitWebhook("CA1")).isEqualTo(Calls.Admission.ADMITTED);
        assertThat(calls.admitWebhook("CA2")).isEqualTo(Calls.Admission.ADMITTED);
        assertThat(calls.admitWebhook("CA3")).isEqualTo(Calls.Admission.BUSY);
        var admitted = new ArrayList<Calls.Live>();
        assertThat(calls.admitStream("CA1", transport, admitted)).isEqualTo(Calls.Admission.ADMITTED);
        assertThat(calls.admitStream("CA9", transport, admitted)).as("a stream with no reservation while full")
                .isEqualTo(Calls.Admission.BUSY);
        now.set(now.get().plusSeconds(61)); // CA2 never connected
        assertThat(calls.admitStream("CA9", transport, admitted)).isEqualTo(Calls.Admission.ADMITTED);
        assertThat(calls.active()).isEqualTo(2);
        calls.ended(admitted.getFirst());
        assertThat(calls.active()).isEqualTo(1);
    }

    @Test
    void drainingAdmitsOnlyStreamsWhoseWebhookWasAdmitted() throws Exception {
        assertThat(calls.admitWebhook("CA1")).isEqualTo(Calls.Admission.ADMITTED);
        calls.startDraining();
        assertThat(calls.admitWebhook("CA2")).isEqualTo(Calls.Admission.DRAINING);
        var admitted = new ArrayList<Calls.Live>();
        assertThat(calls.admitStream("CA3", transport, admitted)).isEqualTo(Calls.Admission.DRAINING);
        assertThat(calls.admitStream("CA1", transport, admitted)).isEqualTo(Calls.Admission.ADMITTED);
        assertThat(calls.awaitIdle(Duration.ofMillis(50))).isFalse();
        calls.ended(admitted.getFirst());
        assertThat(calls.awaitIdle(Duration.ofMillis(50))).isTrue();
    }
}
