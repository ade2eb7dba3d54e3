package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Test vectors from the protocol notes (twilio-java's unit tests, recomputed with Python hmac). */
class TwilioSignatureTest {
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Map<String, String> PARAMS = Map.of(
            "CallSid", "CA1234567890ABCDE",
            "Caller", "+14158675309",
            "Digits", "1234",
            "From", "+14158675309",
            "To", "+18005551212");
    private final TwilioSignature signature = TwilioSignature.of("12345");

    @Test
    void signsTheDocumentedVectors() {
        assertThat(signature.sign(URL, PARAMS)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(signature.sign(URL)).isEqualTo("zYQTYrRWXE7LtzbG4PfP7/bkkGo=");
        assertThat(signature.sign("wss://example.com/media-stream")).isEqualTo("XFfwGS2Ev7f9qAP9MmRoMS7C724=");
    }

    @Test
    void parameterOrderDoesNotMatterButEveryParameterCounts() {
        Map<String, String> reversed = new LinkedHashMap<>();
        PARAMS.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> reversed.put(k, PARAMS.get(k)));
        assertThat(signature.validate(URL, reversed, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        Map<String, String> extra = new LinkedHashMap<>(PARAMS);
        extra.put("CallStatus", "ringing");
        assertThat(signature.validate(URL, extra, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void rejectsWrongSignatureTokenOrUrl() {
        assertThat(signature.validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(signature.validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8")).isFalse();
        assertThat(signature.validate(URL, PARAMS, "")).isFalse();
        assertThat(TwilioSignature.of("54321").validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(signature.validate(URL.replace("foo=1", "foo=2"), PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(signature.validate(URL.replace("https", "http"), PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void acceptsTheUrlWithOrWithoutTheDefaultPort() {
        String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        // Twilio signed the URL without a port; we see it with one, and the reverse
        assertThat(signature.validate(withPort, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(signature.validate(URL, PARAMS, signature.sign(withPort, PARAMS))).isTrue();
        // a non-default port is part of the URL
        assertThat(signature.validate("https://mycompany.com:8443/myapp.php?foo=1&bar=2", PARAMS,
                "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void urlVariantsByScheme() {
        assertThat(TwilioSignature.urlVariants("https://a.example/x"))
                .containsExactly("https://a.example/x", "https://a.example:443/x");
        assertThat(TwilioSignature.urlVariants("http://a.example:80/x?y=1"))
                .containsExactly("http://a.example:80/x?y=1", "http://a.example/x?y=1");
        assertThat(TwilioSignature.urlVariants("wss://a.example")).containsExactly("wss://a.example", "wss://a.example:443");
        assertThat(TwilioSignature.urlVariants("ws://[::1]:80/m")).containsExactly("ws://[::1]:80/m", "ws://[::1]/m");
        assertThat(TwilioSignature.urlVariants("https://u:p@a.example/x"))
                .containsExactly("https://u:p@a.example/x", "https://u:p@a.example:443/x");
        assertThat(TwilioSignature.urlVariants("https://a.example:9000/x")).containsExactly("https://a.example:9000/x");
    }

    @Test
    void webSocketUpgradeIsCheckedAgainstTheWssUrl() {
        String sig = "XFfwGS2Ev7f9qAP9MmRoMS7C724=";
        assertThat(signature.validateWebSocket("wss://example.com/media-stream", sig)).isTrue();
        // the server sees the upgrade as https: mapped back to wss
        assertThat(signature.validateWebSocket("https://example.com/media-stream", sig)).isTrue();
        assertThat(signature.validateWebSocket("https://example.com:443/media-stream", sig)).isTrue();
        // validating the https URL as a plain webhook is the documented pitfall
        assertThat(signature.validate("https://example.com/media-stream", Map.of(), sig)).isFalse();
        assertThat(signature.validateWebSocket("wss://example.com/other", sig)).isFalse();
        assertThat(TwilioSignature.webSocketUrl("HTTP://h/x")).isEqualTo("ws://h/x");
    }

    @Test
    void jsonBodyVariantChecksBodyHashAndUrl() throws Exception {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        String url = "https://h.example/hook?bodySHA256=" + hash;
        String sig = signature.sign(url);
        assertThat(signature.validateJsonBody(url, body, sig)).isTrue();
        assertThat(signature.validateJsonBody(url, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(signature.validateJsonBody("https://h.example/hook", body, signature.sign("https://h.example/hook"))).isFalse();
        assertThat(signature.validateJsonBody(url, body, signature.sign(url + "x"))).isFalse();
    }

    @Test
    void parsesFormBodies() {
        Map<String, String> form = TwilioSignature.formParameters("CallSid=CA1&From=%2B14158675309&Caller=+1&Empty=&Flag");
        assertThat(form).containsExactly(Map.entry("CallSid", "CA1"), Map.entry("From", "+14158675309"),
                Map.entry("Caller", " 1"), Map.entry("Empty", ""), Map.entry("Flag", ""));
        assertThat(TwilioSignature.formParameters("")).isEmpty();
        assertThatThrownBy(() -> TwilioSignature.formParameters("a=1&a=2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(TwilioSignature.of("secret-token").toString()).doesNotContain("secret-token");
    }
}
