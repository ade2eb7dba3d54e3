package dev.parley.server;

import static dev.parley.server.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.twilio.TwilioCodec;
import dev.parley.twilio.TwilioMessage;
import dev.parley.twilio.TwilioTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Malformed and hostile traffic on many connections ends only those connections; a real call goes on. */
class HostileClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String[] GARBAGE = {
        "{not json", "[]", "\"text\"", "{\"event\":\"media\"}", "{\"event\":\"media\",\"sequenceNumber\":\"x\"}",
        "{\"event\":\"dtmf\",\"sequenceNumber\":\"9\",\"streamSid\":\"MZ1\",\"dtmf\":{\"digit\":\"Z\",\"track\":\"t\"}}",
        "{\"event\":\"media\",\"sequenceNumber\":\"9\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\","
                + "\"timestamp\":\"1\",\"payload\":\"!!!not base64!!!\"}}",
        "{\"event\":42}", "{}", "null"};
    private ParleyServer server;
    private FakeTwilio twilio;

    @AfterEach
    void stop() {
        server.stop();
        twilio.close();
    }

    @Test
    void aThousandHostileMessagesEndOnlyTheirOwnConnections() throws Exception {
        var agents = new TestAgents();
        server = ParleyServer.create(ParleyServerTest.config(Map.of("PARLEY_WS_MAX_MESSAGE_BYTES", "8192")), agents).start();
        twilio = new FakeTwilio(server.port());
        var good = twilio.call("CA0000000000000000000000000000good");

        List<Callable<Integer>> attacks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attacks.add(this::garbageBeforeStart);
        }
        for (int i = 0; i < 30; i++) {
            String sid = String.format("CA%032d", 1000 + i);
            attacks.add(() -> malformedAfterStart(sid));
        }
        attacks.add(this::flood);
        attacks.add(this::binaryFrames);
        attacks.add(this::wrongStreamId);
        attacks.add(this::oversized);
        attacks.add(this::unknownEventsAreIgnored);
        int delivered = 0;
        try (var pool = Executors.newFixedThreadPool(4, Thread.ofVirtual().factory())) {
            List<Future<Integer>> results = new ArrayList<>();
            for (var attack : attacks) {
                results.add(pool.submit(attack));
            }
            // meanwhile the good call talks and is answered
            good.audio(ParleyServerTest.speech(Duration.ofMillis(700)));
            good.awaitReceived(ParleyServerTest::hasMediaAndMark, WAIT);
            for (var r : results) {
                delivered += r.get();
            }
        }
        assertThat(delivered).as("hostile messages the sockets took").isGreaterThanOrEqualTo(1000);
        await("only the good call left", () -> server.activeCalls() == 1, WAIT);
        assertThat(good.isClosed()).isFalse();
        good.dtmf("#");
        agents.llms.get("CA0000000000000000000000000000good").awaitRequests(2, WAIT);

        String metrics = twilio.get("/metrics").body();
        assertThat(counter(metrics, "parley_ws_malformed_messages_total")).isGreaterThanOrEqualTo(30 * 21 + 21);
        assertThat(counter(metrics, "parley_calls_failed_total")).isGreaterThanOrEqualTo(30);
        good.hangUp();
    }

    private static double counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** No start: a few messages are read, then the connection is closed. */
    /** The server closed the connection: a close frame, or a reset when the client was still writing (-1). */
    private static void assertClosedByServer(FakeTwilio.Call c, int code) {
        assertThat(c.awaitClose(WAIT)).isIn(code, -1);
    }

    private int garbageBeforeStart() throws Exception {
        var c = twilio.connect(true);
        int n = 0;
        for (int i = 0; i < 100 && c.raw(GARBAGE[i % GARBAGE.length]); i++) {
            n++;
        }
        assertClosedByServer(c, TwilioTransport.CLOSE_POLICY);
        return n;
    }

    /** A properly started call that then sends malformed messages: closed after the 21st. */
    private int malformedAfterStart(String sid) throws Exception {
        var response = twilio.webhook(sid, true);
        var c = twilio.connect(true);
        c.start(sid, FakeTwilio.streamParameters(response.body()));
        int n = 2;
        for (int i = 0; i < 25 && c.raw(GARBAGE[i % GARBAGE.length]); i++) {
            n++;
        }
        assertClosedByServer(c, TwilioTransport.CLOSE_POLICY);
        return n;
    }

    /** Valid silence as fast as the socket takes it: closed by the rate limit. */
    private int flood() throws Exception {
        String sid = "CA00000000000000000000000000flood";
        var response = twilio.webhook(sid, true);
        var c = twilio.connect(true);
        c.start(sid, FakeTwilio.streamParameters(response.body()));
        int n = 2;
        var codec = TwilioCodec.create();
        byte[] silence = new byte[160];
        java.util.Arrays.fill(silence, (byte) 0xFF);
        for (int i = 0; i < 1000; i++) {
            long seq = i + 2;
            String text = codec.encode(new TwilioMessage.Media(seq, c.streamSid(), TwilioMessage.Track.INBOUND, i + 1,
                    20L * (i + 1), silence));
            if (!c.raw(text)) {
                break;
            }
            n++;
        }
        assertClosedByServer(c, TwilioTransport.CLOSE_POLICY);
        return n;
    }

    private int binaryFrames() throws Exception {
        var c = twilio.connect(true);
        int n = 0;
        for (int i = 0; i < 30 && c.binary(new byte[] {1, 2, 3}); i++) {
            n++;
        }
        assertThat(c.awaitClose(WAIT)).isIn(TwilioTransport.CLOSE_POLICY, -1);
        return n;
    }

    private int wrongStreamId() throws Exception {
        String sid = "CA000000000000000000000000000wrong";
        var response = twilio.webhook(sid, true);
        var c = twilio.connect(true);
        c.start(sid, FakeTwilio.streamParameters(response.body()));
        c.send(seq -> new TwilioMessage.Dtmf(seq, "MZ-not-this-stream", "inbound_track", "1"));
        assertThat(c.awaitClose(WAIT)).isEqualTo(TwilioTransport.CLOSE_POLICY);
        return 3;
    }

    private int oversized() throws Exception {
        var c = twilio.connect(true);
        c.raw("{\"event\":\"connected\",\"pad\":\"" + "x".repeat(9000) + "\"}");
        assertThat(c.awaitClose(WAIT)).isEqualTo(1009);
        return 1;
    }

    /** Unknown events are ignored (not malformed) within the rate limit: this connection stays open. */
    private int unknownEventsAreIgnored() throws Exception {
        String sid = "CA00000000000000000000000000quiet";
        var response = twilio.webhook(sid, true);
        var c = twilio.connect(true);
        c.start(sid, FakeTwilio.streamParameters(response.body()));
        int n = 2;
        for (int i = 0; i < 150; i++) {
            assertThat(c.raw("{\"event\":\"future-event-" + i % 3 + "\"}")).isTrue();
            n++;
        }
        assertThat(c.isClosed()).isFalse();
        c.hangUp();
        return n;
    }
}
