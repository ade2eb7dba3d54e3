package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.twilio.testing.FakeTwilioApi;
import dev.parley.twilio.testing.FakeTwilioApi.CallUpdate;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST client against the loopback {@link FakeTwilioApi}. */
class TwilioRestClientTest {
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "auth-token-123";
    private static final String CALL = "CA0123456789abcdef0123456789abcdef";
    private final FakeTwilioApi api = FakeTwilioApi.start(ACCOUNT, TOKEN);
    private final TwilioRestClient client = client(TOKEN, api.baseUrl());

    private static TwilioRestClient client(String token, URI base) {
        return TwilioRestClient.builder().accountSid(ACCOUNT).authToken(token).baseUrl(base)
                .timeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void close() {
        client.close();
        api.close();
    }

    @Test
    void transferPostsDialTwimlWithBasicAuth() {
        api.addCall(CALL);
        List<CallUpdate> updates = new CopyOnWriteArrayList<>();
        api.onUpdate(updates::add);
        var call = client.transfer(CALL, TwiML.dialNumber("+15552223333").callerId("+15550001111"));
        assertThat(call).isEqualTo(new TwilioRestClient.CallResource(CALL, "in-progress"));
        assertThat(updates).singleElement().satisfies(u -> assertThat(u.twiml()).contains(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial callerId=\"+15550001111\">"
                        + "<Number>+15552223333</Number></Dial></Response>"));
        var request = api.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + CALL + ".json");
        assertThat(request.authorization()).startsWith("Basic ");
        assertThat(api.call(CALL)).hasValueSatisfying(c -> assertThat(c.twiml()).contains("<Number>+15552223333</Number>"));
    }

    @Test
    void hangUpCompletesTheCallAndASecondUpdateIsNotFound() {
        api.addCall(CALL);
        assertThat(client.hangUp(CALL).status()).isEqualTo("completed");
        assertThat(api.requests().getFirst().form()).containsExactly(java.util.Map.entry("Status", "completed"));
        assertThatThrownBy(() -> client.hangUp(CALL)).isInstanceOfSatisfying(TwilioApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.twilioCode()).isEqualTo(20404);
            assertThat(e.retryable()).isFalse();
        });
    }

    @Test
    void badCredentialsAre401NotRetryable() {
        api.addCall(CALL);
        try (var wrong = client("wrong", api.baseUrl())) {
            assertThatThrownBy(() -> wrong.hangUp(CALL)).isInstanceOfSatisfying(TwilioApiException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.twilioCode()).isEqualTo(20003);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).doesNotContain("wrong");
            });
        }
        assertThat(api.call(CALL)).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo("in-progress"));
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetryable() {
        api.addCall(CALL);
        api.failNext(429, 20429, 1);
        api.failNext(503, 20500, 1);
        assertThatThrownBy(() -> client.hangUp(CALL)).isInstanceOfSatisfying(TwilioApiException.class,
                e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> client.hangUp(CALL)).isInstanceOfSatisfying(TwilioApiException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.httpStatus()).isEqualTo(503);
        });
        assertThat(client.hangUp(CALL).status()).isEqualTo("completed");
    }

    @Test
    void connectionFailureIsRetryable() throws Exception {
        int freePort;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        try (var dead = client(TOKEN, URI.create("http://127.0.0.1:" + freePort))) {
            assertThatThrownBy(() -> dead.hangUp(CALL)).isInstanceOfSatisfying(TwilioApiException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.httpStatus()).isZero();
            });
        }
    }

    @Test
    void unknownCallIs404AndSidsAreValidated() {
        assertThatThrownBy(() -> client.updateTwiml(CALL, TwiML.sayAndHangUp("bye")))
                .isInstanceOfSatisfying(TwilioApiException.class, e -> assertThat(e.twilioCode()).isEqualTo(20404));
        assertThatThrownBy(() -> client.hangUp("../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioRestClient.builder().accountSid(ACCOUNT).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redirectByUrlIsRecorded() {
        api.addCall(CALL);
        client.updateCall(CALL, java.util.Map.of("Url", "https://agent.example.com/next", "Method", "POST"));
        assertThat(api.call(CALL)).hasValueSatisfying(c -> assertThat(c.url()).isEqualTo("https://agent.example.com/next"));
    }
}
