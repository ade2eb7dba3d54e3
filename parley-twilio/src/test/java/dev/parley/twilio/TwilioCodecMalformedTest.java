package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.ParleyException;
import dev.parley.twilio.TwilioProtocolException.Reason;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One or more malformed inputs per {@link Reason}; messages never echo payloads or phone numbers. */
class TwilioCodecMalformedTest {
    private static final String SID = TwilioCodecGoldenTest.STREAM;
    private final TwilioCodec codec = TwilioCodec.create();

    private Reason reasonOf(String json) {
        TwilioProtocolException e = catchThrowableOfType(TwilioProtocolException.class, () -> codec.decode(json));
        assertThat(e).as("decode(%s) should fail", json).isNotNull();
        assertThat(e).isInstanceOf(ParleyException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith(e.reason().name());
        return e.reason();
    }

    private static String start(String format, String outerSid) {
        return """
                {"event":"start","sequenceNumber":"1","streamSid":"%s","start":{"accountSid":"AC1","streamSid":"%s",
                 "callSid":"CA1","tracks":["inbound"],"customParameters":{"From":"+14158675309"},"mediaFormat":%s}}"""
                .formatted(outerSid, SID, format);
    }

    private static String media(String payload) {
        return """
                {"event":"media","sequenceNumber":"2","streamSid":"%s","media":{"track":"inbound","chunk":"1",
                 "timestamp":"20","payload":"%s"}}""".formatted(SID, payload);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1,2]", "", "   ", "\"media\"", "{\"event\":\"mark\"} trailing", "null", "{\"a\":}"})
    void badJson(String json) {
        assertThat(reasonOf(json)).isEqualTo(Reason.BAD_JSON);
    }

    @Test
    void badJsonDoesNotQuoteTheInput() {
        var e = catchThrowableOfType(TwilioProtocolException.class,
                () -> codec.decode("{\"event\":\"start\", \"from\": +14158675309x}"));
        assertThat(e.getMessage()).contains("line 1").doesNotContain("4158675309");
        assertThat(e.getCause()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"event\":\"bogus\"}", "{\"event\":\"clear\",\"streamSid\":\"MZ1\"}", "{\"event\":\"\"}"})
    void unknownEvent(String json) {
        assertThat(reasonOf(json)).isEqualTo(Reason.UNKNOWN_EVENT);
    }

    @Test
    void unknownEventNameIsEchoedOnlyWhenHarmless() {
        var safe = catchThrowableOfType(TwilioProtocolException.class, () -> codec.decode("{\"event\":\"bogus\"}"));
        var unsafe = catchThrowableOfType(TwilioProtocolException.class,
                () -> codec.decode("{\"event\":\"call +14158675309\"}"));
        assertThat(safe.getMessage()).contains("'bogus'");
        assertThat(unsafe.getMessage()).doesNotContain("4158675309");
        assertThatThrownBy(() -> codec.decodeOutbound("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\"}"))
                .isInstanceOfSatisfying(TwilioProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_EVENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"event\":null}",
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"1\"}}",
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\"}",
        "{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"a\"}}",
        "{\"event\":\"stop\",\"sequenceNumber\":\"9\",\"streamSid\":\"MZ1\",\"stop\":{\"accountSid\":\"AC1\"}}",
        "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"MZ1\",\"accountSid\":\"AC1\",\"tracks\":[],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}",
        "{\"event\":\"dtmf\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\"}}"
    })
    void missingField(String json) {
        assertThat(reasonOf(json)).isEqualTo(Reason.MISSING_FIELD);
    }

    @Test
    void missingFieldNamesTheField() {
        var e = catchThrowableOfType(TwilioProtocolException.class,
                () -> codec.decode("{\"event\":\"stop\",\"sequenceNumber\":\"9\",\"streamSid\":\"MZ1\",\"stop\":{\"accountSid\":\"AC1\"}}"));
        assertThat(e.getMessage()).contains("stop.callSid");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":7}",
        "{\"event\":\"mark\",\"sequenceNumber\":\"four\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"a\"}}",
        "{\"event\":\"mark\",\"sequenceNumber\":\"-4\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"a\"}}",
        "{\"event\":\"mark\",\"sequenceNumber\":\"99999999999999999999\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"a\"}}",
        "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":[\"MZ1\"],\"mark\":{\"name\":\"a\"}}",
        "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\",\"mark\":\"a\"}",
        "{\"event\":\"dtmf\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"X\"}}",
        "{\"event\":\"dtmf\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"12\"}}",
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"both\",\"chunk\":\"1\",\"timestamp\":\"1\",\"payload\":\"\"}}",
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":1.5,\"timestamp\":\"1\",\"payload\":\"\"}}"
    })
    void invalidField(String json) {
        assertThat(reasonOf(json)).isEqualTo(Reason.INVALID_FIELD);
    }

    @Test
    void customParameterValuesMustBeStrings() {
        String json = start("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}", SID)
                .replace("\"+14158675309\"", "{\"n\":\"+14158675309\"}");
        assertThat(reasonOf(json)).isEqualTo(Reason.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!!", "fn5+f", "fn5+f=n5", "fn5-fn5_", "////\\n////"})
    void badBase64(String payload) {
        assertThat(reasonOf(media(payload))).isEqualTo(Reason.BAD_BASE64);
    }

    @Test
    void oversizedMessage() {
        String big = media("A".repeat(TwilioCodec.DEFAULT_MAX_MESSAGE_CHARS));
        assertThat(reasonOf(big)).isEqualTo(Reason.OVERSIZED);
    }

    @Test
    void oversizedPayloadUnderDefaultLimits() {
        String payload = Base64.getEncoder().encodeToString(new byte[TwilioCodec.DEFAULT_MAX_PAYLOAD_BYTES + 3]);
        assertThat(reasonOf(media(payload))).isEqualTo(Reason.OVERSIZED);
        String justFits = Base64.getEncoder().encodeToString(new byte[TwilioCodec.DEFAULT_MAX_PAYLOAD_BYTES]);
        var m = (TwilioMessage.Media) codec.decode(media(justFits));
        assertThat(m.payload()).hasSize(TwilioCodec.DEFAULT_MAX_PAYLOAD_BYTES);
    }

    @Test
    void configurableLimits() {
        TwilioCodec small = TwilioCodec.withLimits(1024, 160);
        String ok = media(Base64.getEncoder().encodeToString(new byte[160]));
        String tooMuchAudio = media(Base64.getEncoder().encodeToString(new byte[161]));
        assertThat(small.decode(ok)).isInstanceOf(TwilioMessage.Media.class);
        assertThatThrownBy(() -> small.decode(tooMuchAudio))
                .isInstanceOfSatisfying(TwilioProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
        assertThatThrownBy(() -> small.decode(ok + " ".repeat(1024)))
                .isInstanceOfSatisfying(TwilioProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
        assertThatThrownBy(() -> small.decodeOutbound("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(new byte[200]) + "\"}}"))
                .isInstanceOfSatisfying(TwilioProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    }

    @Test
    void emptyPayloadIsAccepted() {
        var m = (TwilioMessage.Media) codec.decode(media(""));
        assertThat(m.payload()).isEmpty();
    }

    @Test
    void wrongStreamIdInsideStart() {
        String json = start("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}", "MZother");
        assertThat(reasonOf(json)).isEqualTo(Reason.WRONG_STREAM_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"encoding\":\"audio/x-alaw\",\"sampleRate\":8000,\"channels\":1}",
        "{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":16000,\"channels\":1}",
        "{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":2}"
    })
    void wrongMediaFormat(String format) {
        var e = catchThrowableOfType(TwilioProtocolException.class, () -> codec.decode(start(format, SID)));
        assertThat(e.reason()).isEqualTo(Reason.WRONG_MEDIA_FORMAT);
        assertThat(e.getMessage()).doesNotContain("4158675309");
    }

    @Test
    void validStartWithParametersDecodes() {
        var s = (TwilioMessage.Start) codec.decode(start("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}", SID));
        assertThat(s.customParameters()).containsEntry("From", "+14158675309");
        assertThat(s.tracks()).containsExactly(TwilioMessage.Track.INBOUND);
    }
}
