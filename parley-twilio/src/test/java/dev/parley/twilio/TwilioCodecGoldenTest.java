package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.twilio.TwilioMessage.Clear;
import dev.parley.twilio.TwilioMessage.Connected;
import dev.parley.twilio.TwilioMessage.Dtmf;
import dev.parley.twilio.TwilioMessage.Mark;
import dev.parley.twilio.TwilioMessage.Media;
import dev.parley.twilio.TwilioMessage.MediaFormat;
import dev.parley.twilio.TwilioMessage.OutboundMark;
import dev.parley.twilio.TwilioMessage.OutboundMedia;
import dev.parley.twilio.TwilioMessage.Start;
import dev.parley.twilio.TwilioMessage.Stop;
import dev.parley.twilio.TwilioMessage.Track;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message type, both directions, against the JSON fixtures in src/test/resources/golden. */
class TwilioCodecGoldenTest {
    static final String STREAM = "MZ0123456789abcdef0123456789abcdef";
    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String CALL = "CA0123456789abcdef0123456789abcdef";
    private final TwilioCodec codec = TwilioCodec.create();

    /** The 160-byte payload of the media fixtures: 80 x 0xFF then 20 x {0x7F, 0x00, 0x80, 0x10}. */
    static byte[] payload() {
        byte[] p = new byte[160];
        for (int i = 0; i < 80; i++) {
            p[i] = (byte) 0xFF;
        }
        byte[] pattern = {0x7F, 0x00, (byte) 0x80, 0x10};
        for (int i = 80; i < 160; i++) {
            p[i] = pattern[(i - 80) % 4];
        }
        return p;
    }

    static Stream<Arguments> inbound() {
        return Stream.of(
                Arguments.of("inbound-connected.json", new Connected("Call", "1.0.0")),
                Arguments.of("inbound-start.json", new Start(1, STREAM, ACCOUNT, CALL, List.of(Track.INBOUND),
                        Map.of("tenant", "acme", "callToken", "9f3c1c0e7b5a4d2e"), MediaFormat.MULAW_8K_MONO)),
                Arguments.of("inbound-media.json", new Media(2, STREAM, Track.INBOUND, 1, 5, payload())),
                Arguments.of("inbound-mark.json", new Mark(4, STREAM, "resp-17-seg-3")),
                Arguments.of("inbound-dtmf.json", new Dtmf(5, STREAM, "inbound_track", "#")),
                Arguments.of("inbound-stop.json", new Stop(6, STREAM, ACCOUNT, CALL)));
    }

    static Stream<Arguments> outbound() {
        return Stream.of(
                Arguments.of("outbound-media.json", new OutboundMedia(STREAM, payload())),
                Arguments.of("outbound-mark.json", new OutboundMark(STREAM, "resp-17-seg-3")),
                Arguments.of("outbound-clear.json", new Clear(STREAM)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inbound")
    void decodesInboundFixture(String fixture, TwilioMessage.Inbound expected) {
        assertThat(codec.decode(Golden.text(fixture))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inbound")
    void encodesInboundLikeFixture(String fixture, TwilioMessage.Inbound message) {
        assertThat(Golden.tree(codec.encode(message))).isEqualTo(Golden.tree(Golden.text(fixture)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outbound")
    void encodesOutboundLikeFixture(String fixture, TwilioMessage.Outbound message) {
        assertThat(Golden.tree(codec.encode(message))).isEqualTo(Golden.tree(Golden.text(fixture)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outbound")
    void decodesOutboundFixture(String fixture, TwilioMessage.Outbound expected) {
        assertThat(codec.decodeOutbound(Golden.text(fixture))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inbound")
    void inboundRoundTrips(String fixture, TwilioMessage.Inbound message) {
        assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
    }

    @org.junit.jupiter.api.Test
    void outboundMediaOf160BytesIs216Base64Characters() {
        var json = Golden.tree(codec.encode(new OutboundMedia(STREAM, payload())));
        assertThat(json.path("media").path("payload").asText()).hasSize(216);
        assertThat(json.has("sequenceNumber")).isFalse();
        assertThat(json.path("media").has("track")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void countersAreEncodedAsStringsAndFormatNumbersAsNumbers() {
        var start = Golden.tree(codec.encode(codec.decode(Golden.text("inbound-start.json"))));
        var media = Golden.tree(codec.encode(codec.decode(Golden.text("inbound-media.json"))));
        assertThat(start.path("sequenceNumber").isTextual()).isTrue();
        assertThat(start.path("start").path("mediaFormat").path("sampleRate").isInt()).isTrue();
        assertThat(media.path("media").path("chunk").isTextual()).isTrue();
        assertThat(media.path("media").path("timestamp").isTextual()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void toStringNeverPrintsPayloadOrParameterValues() {
        var media = codec.decode(Golden.text("inbound-media.json"));
        var start = codec.decode(Golden.text("inbound-start.json"));
        assertThat(media.toString()).contains("160 bytes").doesNotContain("//////");
        assertThat(start.toString()).contains("callToken").doesNotContain("9f3c1c0e7b5a4d2e");
    }
}
