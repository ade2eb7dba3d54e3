package dev.parley.server;

import static dev.parley.server.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.ChatMessage;
import dev.parley.testkit.TestAudio;
import dev.parley.twilio.CallToken;
import dev.parley.twilio.TwilioMessage;
import dev.parley.twilio.TwilioMessage.OutboundMark;
import dev.parley.twilio.TwilioMessage.OutboundMedia;
import dev.parley.twilio.TwilioSignature;
import dev.parley.twilio.TwilioTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server on a random loopback port, driven by a fake Twilio over real HTTP and WebSockets. */
class ParleyServerTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    private ParleyServer server;
    private FakeTwilio twilio;

    static ParleyConfig config(Map<String, String> overrides) {
        var env = new HashMap<>(Map.of("PARLEY_PORT", "0", "PARLEY_HOST", "127.0.0.1",
                "PARLEY_PUBLIC_URL", FakeTwilio.PUBLIC_URL, "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN));
        env.putAll(overrides);
        return ParleyConfig.load(Optional.empty(), env);
    }

    private FakeTwilio start(ParleyConfig config, AgentFactory agents) {
        server = ParleyServer.create(config, agents).start();
        twilio = new FakeTwilio(server.port());
        return twilio;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (twilio != null) {
            twilio.close();
        }
    }

    /** Leading silence (the energy VAD learns the noise floor from it), speech, then silence that ends the turn. */
    static List<AudioFrame> speech(Duration voiced) {
        var frames = new ArrayList<>(TestAudio.silence(Duration.ofMillis(500), 8000));
        frames.addAll(TestAudio.utterance(voiced, Duration.ofMillis(1000), 8000));
        return frames;
    }

    static boolean hasMediaAndMark(List<TwilioMessage.Outbound> received) {
        return received.stream().anyMatch(OutboundMedia.class::isInstance)
                && received.stream().anyMatch(OutboundMark.class::isInstance);
    }

    @Test
    void signedWebhookGetsConnectStreamWithAOneTimeToken() throws Exception {
        var fake = start(config(Map.of()), new TestAgents());
        var response = fake.webhook("CA00000000000000000000000000000001", true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(response.body()).contains("<Connect><Stream url=\"wss://parley.example.test/twilio/media\">");
        var params = FakeTwilio.streamParameters(response.body());
        assertThat(params).containsKeys(CallToken.PARAMETER, "from", "to");
        assertThat(params.get(CallToken.PARAMETER)).isNotBlank();
    }

    @Test
    void badSignaturesAreRefused() throws Exception {
        var fake = start(config(Map.of()), new TestAgents());
        assertThat(fake.webhook("CA00000000000000000000000000000002", false).statusCode()).isEqualTo(403);
        assertThat(fake.upgradeStatus("bm90IGEgc2lnbmF0dXJl")).isEqualTo(403);
        assertThat(fake.upgradeStatus(TwilioSignature.of(FakeTwilio.AUTH_TOKEN).sign(FakeTwilio.STREAM_URL)))
                .isEqualTo(101);
        assertThat(fake.get("/metrics").body()).contains("parley_rejected_total{reason=\"signature\",where=\"webhook\"} 1.0");
    }

    @Test
    void aCallOverTheWebSocketHearsAnswersTakesKeysAndIsReleasedByStop() throws Exception {
        var agents = new TestAgents();
        var fake = start(config(Map.of()), agents);
        String sid = "CA00000000000000000000000000000003";
        var call = fake.call(sid);
        call.audio(speech(Duration.ofMillis(800)));
        var received = call.awaitReceived(ParleyServerTest::hasMediaAndMark, WAIT);
        assertThat(received).filteredOn(OutboundMedia.class::isInstance).allSatisfy(m -> {
            assertThat(m.streamSid()).isEqualTo(call.streamSid());
            assertThat(((OutboundMedia) m).payload().length % 160).isZero();
        });
        assertThat(server.activeCalls()).isEqualTo(1);
        var llm = agents.llms.get(sid);
        assertThat(llm.requests().getFirst().messages().getLast()).isEqualTo(new ChatMessage.User("i would like a pizza"));
        assertThat(agents.infos.get(sid).from()).isEqualTo("+15550001111");
        assertThat(agents.infos.get(sid).parameters()).doesNotContainKey(CallToken.PARAMETER);

        call.dtmf("4");
        call.dtmf("#");
        var requests = llm.awaitRequests(2, WAIT);
        assertThat(requests.getLast().messages()).contains(new ChatMessage.User("Caller pressed keys: 4 #"));

        dev.parley.ProviderEvents.report(sid, new dev.parley.ProviderEvent("failover", "deepgram", "to sphinx"));
        call.stop();
        assertThat(call.awaitClose(WAIT)).isEqualTo(TwilioTransport.CLOSE_NORMAL);
        await("active calls back to 0", () -> server.activeCalls() == 0, WAIT);
        String metrics = fake.get("/metrics").body();
        assertThat(metrics).contains("parley_provider_events_total{kind=\"failover\",provider=\"deepgram\"} 1.0");
        assertThat(metrics).contains("parley_calls_active 0.0", "parley_calls_total 1.0",
                "parley_calls_failed_total 0.0", "parley_turn_gap_seconds_count 1", "parley_barge_ins_total",
                "parley_provider_errors_total 0.0", "process_cpu_usage", "parley_cpu_cores_per_call");
    }

    @Test
    void echoedMarksLetTheAgentFinishSpeakingThenItPromptsAndHangsUp() throws Exception {
        var agents = new TestAgents(Duration.ofMillis(300));
        var fake = start(config(Map.of()), agents);
        String sid = "CA00000000000000000000000000000004";
        var call = fake.call(sid);
        call.audio(speech(Duration.ofMillis(600)));
        // reply, idle prompt and goodbye are each only spoken after the marks of the one before were echoed
        assertThat(call.awaitClose(WAIT)).isEqualTo(TwilioTransport.CLOSE_NORMAL);
        assertThat(agents.tts.get(sid).textsReceived()).containsSubsequence(
                "You said: i would like a pizza.", "Are you still there?", "Goodbye.");
        assertThat(call.received()).filteredOn(OutboundMark.class::isInstance).hasSizeGreaterThanOrEqualTo(3);
        await("active calls back to 0", () -> server.activeCalls() == 0, WAIT);
    }

    @Test
    void replayedOrMissingTokensGetNoCall() throws Exception {
        var agents = new TestAgents();
        var fake = start(config(Map.of()), agents);
        String sid = "CA00000000000000000000000000000005";
        var response = fake.webhook(sid, true);
        var params = FakeTwilio.streamParameters(response.body());
        var first = fake.connect(true);
        first.start(sid, params);
        await("first stream admitted", () -> server.activeCalls() == 1, WAIT);
        var replay = fake.connect(true);
        replay.start(sid, params);
        assertThat(replay.awaitClose(WAIT)).isEqualTo(TwilioTransport.CLOSE_POLICY);
        var unsigned = fake.connect(false);
        unsigned.start("CA00000000000000000000000000000006", Map.of());
        assertThat(unsigned.awaitClose(WAIT)).isEqualTo(TwilioTransport.CLOSE_POLICY);
        assertThat(server.activeCalls()).isEqualTo(1);
        assertThat(agents.infos).containsOnlyKeys(sid);
        assertThat(fake.get("/metrics").body()).contains("reason=\"token_replayed\"", "reason=\"token_missing\"");
        first.hangUp();
    }

    @Test
    void overTheLimitTheWebhookAnswersBusy() throws Exception {
        var fake = start(config(Map.of("PARLEY_MAX_CALLS", "1")), new TestAgents());
        var call = fake.call("CA00000000000000000000000000000007");
        await("call admitted", () -> server.activeCalls() == 1, WAIT);
        var busy = fake.webhook("CA00000000000000000000000000000008", true);
        assertThat(busy.statusCode()).isEqualTo(200);
        assertThat(busy.body()).contains("<Reject reason=\"busy\"/>").doesNotContain("<Stream");
        call.hangUp();
        await("slot released", () -> server.activeCalls() == 0, WAIT);
        assertThat(fake.webhook("CA00000000000000000000000000000009", true).body()).contains("<Stream");
    }

    @Test
    void drainRefusesNewCallsAndHangsUpCallsStillLiveAtTheDeadline() throws Exception {
        var fake = start(config(Map.of()), new TestAgents());
        var call = fake.call("CA00000000000000000000000000000010");
        await("call admitted", () -> server.activeCalls() == 1, WAIT);
        assertThat(fake.get("/readyz").statusCode()).isEqualTo(200);
        var report = new CompletableFuture<ParleyServer.DrainReport>();
        var drained = Thread.ofVirtual().start(() -> report.complete(server.drain(Duration.ofSeconds(2))));
        await("draining", server::draining, WAIT);
        assertThat(fake.get("/readyz").statusCode()).isEqualTo(503);
        assertThat(fake.webhook("CA00000000000000000000000000000011", true).body()).contains("<Reject");
        assertThat(call.isClosed()).as("the live call goes on while draining").isFalse();
        assertThat(call.awaitClose(WAIT)).isEqualTo(TwilioTransport.CLOSE_NORMAL);
        assertThat(report.get(10, TimeUnit.SECONDS)).isEqualTo(new ParleyServer.DrainReport(0, 1));
        drained.join();
        assertThat(server.activeCalls()).isZero();
    }

    @Test
    void drainEndsAsSoonAsTheLastCallFinishes() throws Exception {
        var fake = start(config(Map.of()), new TestAgents());
        var call = fake.call("CA00000000000000000000000000000012");
        await("call admitted", () -> server.activeCalls() == 1, WAIT);
        var report = new CompletableFuture<ParleyServer.DrainReport>();
        Thread.ofVirtual().start(() -> report.complete(server.drain(Duration.ofSeconds(30))));
        await("draining", server::draining, WAIT);
        long t0 = System.nanoTime();
        call.hangUp();
        assertThat(report.get(10, TimeUnit.SECONDS)).isEqualTo(new ParleyServer.DrainReport(1, 0));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
