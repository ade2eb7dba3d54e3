package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class TwiMLTest {

    private static Document parse(String xml) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void connectStreamWithParametersInOrder() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("tenant", "acme");
        params.put("callToken", "abc.def");
        String xml = TwiML.connectStream("wss://agent.example.com/twilio/media", params);
        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect>"
                + "<Stream url=\"wss://agent.example.com/twilio/media\"><Parameter name=\"tenant\" value=\"acme\"/>"
                + "<Parameter name=\"callToken\" value=\"abc.def\"/></Stream></Connect></Response>");
        Element stream = (Element) parse(xml).getElementsByTagName("Stream").item(0);
        assertThat(stream.getAttribute("url")).isEqualTo("wss://agent.example.com/twilio/media");
        assertThat(stream.getElementsByTagName("Parameter").getLength()).isEqualTo(2);
    }

    @Test
    void escapesEverythingAndSurvivesAParser() throws Exception {
        String nasty = "a<b>&\"c'\td\n\u0001e \uD83D\uDE00 \uD800";
        Map<String, String> params = Map.of("k\"&", nasty);
        String xml = TwiML.response().connectStream("wss://h/x&y", params).say(nasty).build();
        Document doc = parse(xml);
        Element p = (Element) doc.getElementsByTagName("Parameter").item(0);
        String expected = "a<b>&\"c'\td\ne \uD83D\uDE00 "; // control char and lone surrogate dropped
        assertThat(p.getAttribute("name")).isEqualTo("k\"&");
        assertThat(p.getAttribute("value")).isEqualTo(expected);
        assertThat(doc.getElementsByTagName("Say").item(0).getTextContent()).isEqualTo(expected);
        assertThat(((Element) doc.getElementsByTagName("Stream").item(0)).getAttribute("url")).isEqualTo("wss://h/x&y");
        assertThat(TwiML.escape("<&>")).isEqualTo("&lt;&amp;&gt;");
    }

    @Test
    void refusesStreamUrlsTwilioWouldBreak() {
        assertThatThrownBy(() -> TwiML.connectStream("https://h/x", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwiML.connectStream("wss://h/x?token=1", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwiML.connectStream("wss://h/x", Map.of("n", "v".repeat(499))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TwiML.connectStream("ws://127.0.0.1:1/x", Map.of("n", "v".repeat(498)))).contains("<Parameter");
    }

    @Test
    void streamWithoutParametersIsSelfClosing() {
        assertThat(TwiML.connectStream("wss://h/x", Map.of())).contains("<Connect><Stream url=\"wss://h/x\"/></Connect>");
    }

    @Test
    void busyAndHangUp() throws Exception {
        assertThat(TwiML.busy()).endsWith("<Response><Reject reason=\"busy\"/></Response>");
        String bye = TwiML.sayAndHangUp("All lines are busy. Goodbye & thanks.");
        assertThat(bye).endsWith("<Response><Say>All lines are busy. Goodbye &amp; thanks.</Say><Hangup/></Response>");
        parse(bye);
        assertThat(TwiML.response().reject(TwiML.RejectReason.REJECTED).build()).contains("<Reject reason=\"rejected\"/>");
    }

    @Test
    void dialForHandoff() throws Exception {
        assertThat(TwiML.dial("+15552223333")).endsWith("<Response><Dial><Number>+15552223333</Number></Dial></Response>");
        String xml = TwiML.response().say("Connecting you to an agent.")
                .dial(TwiML.dialNumber("+15552223333").callerId("+15550001111").timeout(Duration.ofSeconds(20))
                        .timeLimit(Duration.ofMinutes(30)).answerOnBridge(true).action("https://agent.example.com/dial?a=1&b=2"))
                .build();
        Element dial = (Element) parse(xml).getElementsByTagName("Dial").item(0);
        assertThat(dial.getAttribute("callerId")).isEqualTo("+15550001111");
        assertThat(dial.getAttribute("timeout")).isEqualTo("20");
        assertThat(dial.getAttribute("timeLimit")).isEqualTo("1800");
        assertThat(dial.getAttribute("answerOnBridge")).isEqualTo("true");
        assertThat(dial.getAttribute("action")).isEqualTo("https://agent.example.com/dial?a=1&b=2");
        assertThat(dial.getElementsByTagName("Number").item(0).getTextContent()).isEqualTo("+15552223333");
        assertThatThrownBy(() -> TwiML.dialNumber("+1").action("/relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwiML.dialNumber(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pause() {
        assertThat(TwiML.response().pause(Duration.ofSeconds(2)).build()).contains("<Pause length=\"2\"/>");
    }
}
