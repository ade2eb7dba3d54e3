package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.ParleyException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioCallerWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void signsLikeTwilioJavaTestVectors() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("To", "+18005551212");
        params.put("From", "+14158675309");
        params.put("Digits", "1234");
        params.put("Caller", "+14158675309");
        params.put("CallSid", "CA1234567890ABCDE");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";

        assertThat(TwilioCallerSimulator.signature("12345", url, params)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TwilioCallerSimulator.signature("12345", url, Map.of())).isEqualTo("zYQTYrRWXE7LtzbG4PfP7/bkkGo=");
        assertThat(TwilioCallerSimulator.signature("12345", "wss://example.com/media-stream", Map.of()))
                .isEqualTo("XFfwGS2Ev7f9qAP9MmRoMS7C724=");
    }

    @Test
    void formEncodingEscapesPlusAndSpaces() {
        assertThat(TwilioCallerWire.formEncode(Map.of("From", "+1 555"))).isEqualTo("From=%2B1+555");
    }

    @Test
    void readsConnectStreamWithParametersSkippingEarlierVerbs() {
        var twiml = TwilioCallerWire.parseTwiml("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Response><Say>Hi</Say><Connect><Stream url="wss://a.example/twilio/media">
                  <Parameter name="tenant" value="acme"/><Parameter name="token" value="x&amp;y"/>
                </Stream></Connect><Say>Bye</Say></Response>""");

        assertThat(twiml).isEqualTo(new TwilioCallerWire.Twiml.Stream("wss://a.example/twilio/media",
                Map.of("tenant", "acme", "token", "x&y")));
    }

    @Test
    void rejectAndHangupRefuseTheCall() {
        assertThat(TwilioCallerWire.parseTwiml("<Response><Reject reason=\"busy\"/></Response>"))
                .isEqualTo(new TwilioCallerWire.Twiml.Refused("busy"));
        assertThat(TwilioCallerWire.parseTwiml("<Response><Reject/></Response>"))
                .isEqualTo(new TwilioCallerWire.Twiml.Refused("rejected"));
        assertThat(TwilioCallerWire.parseTwiml("<Response><Say>Closed</Say><Hangup/></Response>"))
                .isEqualTo(new TwilioCallerWire.Twiml.Refused("hangup"));
        assertThat(TwilioCallerWire.parseTwiml("<Response><Say>Hi</Say></Response>"))
                .isInstanceOf(TwilioCallerWire.Twiml.Other.class);
    }

    @Test
    void refusesDoctypesAndOtherRoots() {
        assertThatThrownBy(() -> TwilioCallerWire.parseTwiml(
                "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response>&x;</Response>"))
                .isInstanceOf(ParleyException.class);
        assertThatThrownBy(() -> TwilioCallerWire.parseTwiml("<Html/>")).isInstanceOf(ParleyException.class);
    }

    @Test
    void messagesCarryStringCountersAndTheStreamSid() throws Exception {
        JsonNode start = JSON.readTree(TwilioCallerWire.start(1, "MZ1", "AC1", "CA1", Map.of("k", "v")));
        assertThat(start.path("sequenceNumber").isTextual()).isTrue();
        assertThat(start.path("sequenceNumber").asText()).isEqualTo("1");
        assertThat(start.at("/start/mediaFormat/sampleRate").isInt()).isTrue();
        assertThat(start.at("/start/customParameters/k").asText()).isEqualTo("v");
        assertThat(start.at("/start/tracks/0").asText()).isEqualTo("inbound");

        JsonNode media = JSON.readTree(TwilioCallerWire.media(7, "MZ1", 6, 100, new byte[160]));
        assertThat(media.at("/media/chunk").asText()).isEqualTo("6");
        assertThat(media.at("/media/timestamp").asText()).isEqualTo("100");
        assertThat(media.at("/media/payload").asText()).hasSize(216);
        assertThat(media.path("streamSid").asText()).isEqualTo("MZ1");

        JsonNode dtmf = JSON.readTree(TwilioCallerWire.dtmf(8, "MZ1", '#'));
        assertThat(dtmf.at("/dtmf/track").asText()).isEqualTo("inbound_track");
        assertThat(dtmf.at("/dtmf/digit").asText()).isEqualTo("#");
    }

    @Test
    void parsesServerMessagesAndRejectsWhatTwilioWouldRefuse() {
        assertThat(TwilioCallerWire.parse("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}", "MZ1"))
                .isInstanceOf(TwilioCallerWire.Inbound.Clear.class);
        assertThat(TwilioCallerWire.parse("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"a\"}}", "MZ1"))
                .isEqualTo(new TwilioCallerWire.Inbound.Mark("a"));
        var media = (TwilioCallerWire.Inbound.Media) TwilioCallerWire.parse(
                "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"//8=\"}}", "MZ1");
        assertThat(media.mulaw()).containsExactly((byte) 0xFF, (byte) 0xFF);

        assertThatThrownBy(() -> TwilioCallerWire.parse("{\"event\":\"clear\",\"streamSid\":\"MZ2\"}", "MZ1"))
                .hasMessageContaining("MZ2");
        assertThatThrownBy(() -> TwilioCallerWire.parse(
                "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"UklGRiQAAABXQVZF\"}}", "MZ1"))
                .hasMessageContaining("RIFF");
        assertThatThrownBy(() -> TwilioCallerWire.parse("{\"event\":\"play\",\"streamSid\":\"MZ1\"}", "MZ1"))
                .hasMessageContaining("play");
    }
}
