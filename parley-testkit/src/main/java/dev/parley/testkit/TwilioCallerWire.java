package dev.parley.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.ParleyException;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The Twilio side of the wire: request signing, TwiML reading, and Media Streams JSON messages. */
final class TwilioCallerWire {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private TwilioCallerWire() {}

    /** base64(HMAC-SHA1(token, url + each parameter name and value in name order)). */
    static String signature(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return B64.encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new ParleyException("HmacSHA1 unavailable", e);
        }
    }

    static String formEncode(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /** What the TwiML asks Twilio to do with the call, as far as the simulator cares. */
    sealed interface Twiml {
        record Stream(String url, Map<String, String> parameters) implements Twiml {}

        record Refused(String reason) implements Twiml {}

        record Other(List<String> verbs) implements Twiml {}
    }

    /**
     * The first verb that decides the call: {@code <Connect><Stream>}, {@code <Reject>} or
     * {@code <Hangup>}. Verbs before it ({@code <Say>}, {@code <Pause>}, {@code <Start>}) are skipped.
     */
    static Twiml parseTwiml(String xml) {
        Element root;
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(false);
            root = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new ParleyException("webhook answered with malformed TwiML: " + e.getMessage(), e);
        }
        if (!root.getTagName().equals("Response")) {
            throw new ParleyException("TwiML root is <" + root.getTagName() + ">, not <Response>");
        }
        List<String> verbs = new ArrayList<>();
        for (Element verb : children(root)) {
            verbs.add(verb.getTagName());
            switch (verb.getTagName()) {
                case "Connect" -> {
                    for (Element noun : children(verb)) {
                        if (noun.getTagName().equals("Stream")) {
                            Map<String, String> parameters = new LinkedHashMap<>();
                            for (Element p : children(noun)) {
                                if (p.getTagName().equals("Parameter")) {
                                    parameters.put(p.getAttribute("name"), p.getAttribute("value"));
                                }
                            }
                            return new Twiml.Stream(noun.getAttribute("url"), parameters);
                        }
                    }
                }
                case "Reject" -> {
                    String reason = verb.getAttribute("reason");
                    return new Twiml.Refused(reason.isEmpty() ? "rejected" : reason);
                }
                case "Hangup" -> {
                    return new Twiml.Refused("hangup");
                }
                default -> { }
            }
        }
        return new Twiml.Other(verbs);
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    // ---- messages the simulator sends ----

    static String connected() {
        return "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
    }

    static String start(long seq, String streamSid, String accountSid, String callSid, Map<String, String> custom) {
        ObjectNode msg = head("start", seq, streamSid);
        ObjectNode start = msg.putObject("start");
        start.put("accountSid", accountSid).put("streamSid", streamSid).put("callSid", callSid);
        start.putArray("tracks").add("inbound");
        start.putObject("mediaFormat").put("encoding", "audio/x-mulaw").put("sampleRate", 8000).put("channels", 1);
        ObjectNode params = start.putObject("customParameters");
        custom.forEach(params::put);
        return write(msg);
    }

    static String media(long seq, String streamSid, long chunk, long timestampMs, byte[] mulaw) {
        ObjectNode msg = head("media", seq, streamSid);
        msg.putObject("media").put("track", "inbound").put("chunk", Long.toString(chunk))
                .put("timestamp", Long.toString(timestampMs)).put("payload", B64.encodeToString(mulaw));
        return write(msg);
    }

    static String mark(long seq, String streamSid, String name) {
        ObjectNode msg = head("mark", seq, streamSid);
        msg.putObject("mark").put("name", name);
        return write(msg);
    }

    static String dtmf(long seq, String streamSid, char digit) {
        ObjectNode msg = head("dtmf", seq, streamSid);
        msg.putObject("dtmf").put("track", "inbound_track").put("digit", String.valueOf(digit));
        return write(msg);
    }

    static String stop(long seq, String streamSid, String accountSid, String callSid) {
        ObjectNode msg = head("stop", seq, streamSid);
        msg.putObject("stop").put("accountSid", accountSid).put("callSid", callSid);
        return write(msg);
    }

    private static ObjectNode head(String event, long seq, String streamSid) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("event", event).put("sequenceNumber", Long.toString(seq)).put("streamSid", streamSid);
        return msg;
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new ParleyException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    // ---- messages the server sends ----

    /** A message from the server. */
    sealed interface Inbound {
        record Media(byte[] mulaw) implements Inbound {}

        record Mark(String name) implements Inbound {}

        record Clear() implements Inbound {}
    }

    /**
     * Parses a server message for the stream {@code streamSid}.
     *
     * @throws ParleyException saying what is wrong with a message Twilio would refuse
     */
    static Inbound parse(String text, String streamSid) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ParleyException("server sent malformed JSON: " + e.getOriginalMessage());
        }
        if (msg == null || !msg.isObject()) {
            throw new ParleyException("server sent a JSON value that is not an object");
        }
        String event = msg.path("event").asText("");
        String sid = msg.path("streamSid").asText("");
        if (!sid.equals(streamSid)) {
            throw new ParleyException("server sent '" + event + "' for stream '" + sid + "', expected " + streamSid);
        }
        return switch (event) {
            case "media" -> {
                JsonNode payload = msg.path("media").path("payload");
                if (!payload.isTextual()) {
                    throw new ParleyException("media message without a payload string");
                }
                byte[] bytes;
                try {
                    bytes = B64D.decode(payload.asText());
                } catch (IllegalArgumentException e) {
                    throw new ParleyException("media payload is not base64: " + e.getMessage());
                }
                if (bytes.length >= 4 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F') {
                    throw new ParleyException("media payload starts with a RIFF/WAV header: Twilio would play it as noise");
                }
                yield new Inbound.Media(bytes);
            }
            case "mark" -> {
                JsonNode name = msg.path("mark").path("name");
                if (!name.isTextual()) {
                    throw new ParleyException("mark message without a name string");
                }
                yield new Inbound.Mark(name.asText());
            }
            case "clear" -> new Inbound.Clear();
            default -> throw new ParleyException("server sent an unknown event '" + event + "'");
        };
    }
}
