package dev.parley.twilio;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.twilio.TwilioMessage.Clear;
import dev.parley.twilio.TwilioMessage.Connected;
import dev.parley.twilio.TwilioMessage.Dtmf;
import dev.parley.twilio.TwilioMessage.Inbound;
import dev.parley.twilio.TwilioMessage.Mark;
import dev.parley.twilio.TwilioMessage.Media;
import dev.parley.twilio.TwilioMessage.MediaFormat;
import dev.parley.twilio.TwilioMessage.Outbound;
import dev.parley.twilio.TwilioMessage.OutboundMark;
import dev.parley.twilio.TwilioMessage.OutboundMedia;
import dev.parley.twilio.TwilioMessage.Start;
import dev.parley.twilio.TwilioMessage.Stop;
import dev.parley.twilio.TwilioMessage.Track;
import dev.parley.twilio.TwilioProtocolException.Reason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Twilio Media Streams JSON ↔ {@link TwilioMessage}. Pure and thread-safe: no I/O, no state
 * (stream-level rules live in {@link TwilioStreamState}). Every malformed input becomes a
 * {@link TwilioProtocolException}; nothing else escapes {@link #decode} or {@link #decodeOutbound}.
 *
 * <p>The server side uses {@link #decode} (Twilio → server) and {@link #encode} on
 * {@link Outbound} messages; a fake Twilio uses {@link #encode} on {@link Inbound} messages and
 * {@link #decodeOutbound}.
 */
public final class TwilioCodec {
    /** Default largest message accepted, in characters (256 KiB). */
    public static final int DEFAULT_MAX_MESSAGE_CHARS = 256 * 1024;
    /** Default largest decoded audio payload accepted, in bytes (64 KiB = 8 s of μ-law). */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern COUNTER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern PRINTABLE_EVENT = Pattern.compile("[A-Za-z_-]{1,24}");
    private static final String DTMF_DIGITS = "0123456789*#ABCD";

    private final int maxMessageChars;
    private final int maxPayloadBytes;

    private TwilioCodec(int maxMessageChars, int maxPayloadBytes) {
        if (maxMessageChars < 64 || maxPayloadBytes < 1) {
            throw new IllegalArgumentException("limits too small");
        }
        this.maxMessageChars = maxMessageChars;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** A codec with the default limits (256 KiB messages, 64 KiB payloads). */
    public static TwilioCodec create() {
        return new TwilioCodec(DEFAULT_MAX_MESSAGE_CHARS, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /** A codec refusing messages longer than {@code maxMessageChars} or payloads over {@code maxPayloadBytes}. */
    public static TwilioCodec withLimits(int maxMessageChars, int maxPayloadBytes) {
        return new TwilioCodec(maxMessageChars, maxPayloadBytes);
    }

    public int maxMessageChars() {
        return maxMessageChars;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Decodes one message Twilio sent (one WebSocket text frame). */
    public Inbound decode(String json) {
        JsonNode root = parse(json);
        String event = text(root, "", "event");
        return switch (event) {
            case "connected" -> new Connected(optionalText(root, "protocol"), optionalText(root, "version"));
            case "start" -> decodeStart(root);
            case "media" -> {
                JsonNode media = object(root, "", "media");
                yield new Media(counter(root, "", "sequenceNumber"), text(root, "", "streamSid"),
                        track(media), counter(media, "media.", "chunk"), counter(media, "media.", "timestamp"),
                        payload(media));
            }
            case "mark" -> new Mark(counter(root, "", "sequenceNumber"), text(root, "", "streamSid"),
                    text(object(root, "", "mark"), "mark.", "name"));
            case "dtmf" -> {
                JsonNode dtmf = object(root, "", "dtmf");
                String digit = text(dtmf, "dtmf.", "digit");
                if (digit.length() != 1 || DTMF_DIGITS.indexOf(digit.charAt(0)) < 0) {
                    throw new TwilioProtocolException(Reason.INVALID_FIELD, "dtmf.digit is not one of 0-9, *, #, A-D");
                }
                yield new Dtmf(counter(root, "", "sequenceNumber"), text(root, "", "streamSid"),
                        text(dtmf, "dtmf.", "track"), digit);
            }
            case "stop" -> {
                JsonNode stop = object(root, "", "stop");
                yield new Stop(counter(root, "", "sequenceNumber"), text(root, "", "streamSid"),
                        text(stop, "stop.", "accountSid"), text(stop, "stop.", "callSid"));
            }
            default -> throw unknownEvent(event);
        };
    }

    /** Decodes one message a server sent to Twilio (what a fake Twilio receives). */
    public Outbound decodeOutbound(String json) {
        JsonNode root = parse(json);
        String event = text(root, "", "event");
        return switch (event) {
            case "media" -> new OutboundMedia(text(root, "", "streamSid"), payload(object(root, "", "media")));
            case "mark" -> new OutboundMark(text(root, "", "streamSid"), text(object(root, "", "mark"), "mark.", "name"));
            case "clear" -> new Clear(text(root, "", "streamSid"));
            default -> throw unknownEvent(event);
        };
    }

    /** Encodes any message to its JSON text frame, fields in the order Twilio's documentation shows. */
    public String encode(TwilioMessage message) {
        ObjectNode root = MAPPER.createObjectNode();
        switch (message) {
            case Connected c -> root.put("event", "connected").put("protocol", c.protocol()).put("version", c.version());
            case Start s -> {
                header(root, "start", s.sequenceNumber());
                ObjectNode start = root.putObject("start");
                start.put("accountSid", s.accountSid()).put("streamSid", s.streamSid()).put("callSid", s.callSid());
                ArrayNode tracks = start.putArray("tracks");
                s.tracks().forEach(t -> tracks.add(t.wireName()));
                start.putObject("mediaFormat").put("encoding", s.mediaFormat().encoding())
                        .put("sampleRate", s.mediaFormat().sampleRate()).put("channels", s.mediaFormat().channels());
                ObjectNode params = start.putObject("customParameters");
                s.customParameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> params.put(e.getKey(), e.getValue()));
                root.put("streamSid", s.streamSid());
            }
            case Media m -> {
                header(root, "media", m.sequenceNumber());
                root.putObject("media").put("track", m.track().wireName()).put("chunk", Long.toString(m.chunk()))
                        .put("timestamp", Long.toString(m.timestamp()))
                        .put("payload", Base64.getEncoder().encodeToString(m.payload()));
                root.put("streamSid", m.streamSid());
            }
            case Mark m -> {
                header(root, "mark", m.sequenceNumber()).put("streamSid", m.streamSid());
                root.putObject("mark").put("name", m.name());
            }
            case Dtmf d -> {
                header(root, "dtmf", d.sequenceNumber()).put("streamSid", d.streamSid());
                root.putObject("dtmf").put("track", d.track()).put("digit", d.digit());
            }
            case Stop s -> {
                header(root, "stop", s.sequenceNumber());
                root.putObject("stop").put("accountSid", s.accountSid()).put("callSid", s.callSid());
                root.put("streamSid", s.streamSid());
            }
            case OutboundMedia m -> {
                root.put("event", "media").put("streamSid", m.streamSid());
                root.putObject("media").put("payload", Base64.getEncoder().encodeToString(m.payload()));
            }
            case OutboundMark m -> {
                root.put("event", "mark").put("streamSid", m.streamSid());
                root.putObject("mark").put("name", m.name());
            }
            case Clear c -> root.put("event", "clear").put("streamSid", c.streamSid());
        }
        return root.toString();
    }

    private static ObjectNode header(ObjectNode root, String event, long sequenceNumber) {
        return root.put("event", event).put("sequenceNumber", Long.toString(sequenceNumber));
    }

    private Start decodeStart(JsonNode root) {
        JsonNode start = object(root, "", "start");
        String streamSid = text(start, "start.", "streamSid");
        JsonNode outerSid = root.get("streamSid");
        if (outerSid != null && !outerSid.isNull() && !(outerSid.isTextual() && outerSid.asText().equals(streamSid))) {
            throw new TwilioProtocolException(Reason.WRONG_STREAM_ID, "streamSid differs from start.streamSid");
        }
        JsonNode tracksNode = field(start, "start.", "tracks");
        if (!tracksNode.isArray()) {
            throw invalid("start.tracks", "is not an array");
        }
        List<Track> tracks = new ArrayList<>();
        for (JsonNode t : tracksNode) {
            tracks.add(trackOf(t, "start.tracks[]"));
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode paramsNode = start.get("customParameters");
        if (paramsNode != null && !paramsNode.isNull()) {
            if (!paramsNode.isObject()) {
                throw invalid("start.customParameters", "is not an object");
            }
            for (Map.Entry<String, JsonNode> e : paramsNode.properties()) {
                if (!e.getValue().isTextual()) {
                    throw invalid("start.customParameters", "has a value that is not a string");
                }
                params.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode format = object(start, "start.", "mediaFormat");
        var mediaFormat = new MediaFormat(text(format, "start.mediaFormat.", "encoding"),
                integer(format, "start.mediaFormat.", "sampleRate"), integer(format, "start.mediaFormat.", "channels"));
        if (!mediaFormat.equals(MediaFormat.MULAW_8K_MONO)) {
            throw new TwilioProtocolException(Reason.WRONG_MEDIA_FORMAT,
                    "start.mediaFormat must be audio/x-mulaw, 8000 Hz, 1 channel");
        }
        return new Start(counter(root, "", "sequenceNumber"), streamSid, text(start, "start.", "accountSid"),
                text(start, "start.", "callSid"), tracks, params, mediaFormat);
    }

    private JsonNode parse(String json) {
        if (json.length() > maxMessageChars) {
            throw new TwilioProtocolException(Reason.OVERSIZED,
                    "message of " + json.length() + " characters exceeds the limit of " + maxMessageChars);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input; report only where it broke.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new TwilioProtocolException(Reason.BAD_JSON, "not well-formed JSON" + where);
        }
        if (root == null || !root.isObject()) {
            throw new TwilioProtocolException(Reason.BAD_JSON, "not a JSON object");
        }
        return root;
    }

    private byte[] payload(JsonNode media) {
        String b64 = text(media, "media.", "payload");
        long maxChars = ((long) maxPayloadBytes + 2) / 3 * 4;
        if (b64.length() > maxChars) {
            throw new TwilioProtocolException(Reason.OVERSIZED, "media.payload exceeds " + maxPayloadBytes + " bytes");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new TwilioProtocolException(Reason.BAD_BASE64, "media.payload is not valid base64");
        }
        if (bytes.length > maxPayloadBytes) {
            throw new TwilioProtocolException(Reason.OVERSIZED, "media.payload exceeds " + maxPayloadBytes + " bytes");
        }
        return bytes;
    }

    private static Track track(JsonNode media) {
        return trackOf(field(media, "media.", "track"), "media.track");
    }

    private static Track trackOf(JsonNode node, String path) {
        if (node.isTextual()) {
            for (Track t : Track.values()) {
                if (t.wireName().equals(node.asText())) {
                    return t;
                }
            }
        }
        throw invalid(path, "is not inbound or outbound");
    }

    private static JsonNode field(JsonNode parent, String path, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw new TwilioProtocolException(Reason.MISSING_FIELD, "missing field " + path + name);
        }
        return node;
    }

    private static JsonNode object(JsonNode parent, String path, String name) {
        JsonNode node = field(parent, path, name);
        if (!node.isObject()) {
            throw invalid(path + name, "is not an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String path, String name) {
        JsonNode node = field(parent, path, name);
        if (!node.isTextual()) {
            throw invalid(path + name, "is not a string");
        }
        return node.asText();
    }

    private static String optionalText(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw invalid(name, "is not a string");
        }
        return node.asText();
    }

    /** A decimal counter: Twilio sends a string, a JSON number is accepted too. */
    private static long counter(JsonNode parent, String path, String name) {
        JsonNode node = field(parent, path, name);
        if (node.isTextual() && COUNTER.matcher(node.asText()).matches()) {
            return Long.parseLong(node.asText());
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
            return node.asLong();
        }
        throw invalid(path + name, "is not a non-negative decimal counter");
    }

    private static int integer(JsonNode parent, String path, String name) {
        JsonNode node = field(parent, path, name);
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.asInt();
        }
        if (node.isTextual() && COUNTER.matcher(node.asText()).matches() && node.asText().length() <= 9) {
            return Integer.parseInt(node.asText());
        }
        throw invalid(path + name, "is not an integer");
    }

    private static TwilioProtocolException invalid(String path, String problem) {
        return new TwilioProtocolException(Reason.INVALID_FIELD, path + " " + problem);
    }

    private static TwilioProtocolException unknownEvent(String event) {
        String shown = PRINTABLE_EVENT.matcher(event).matches() ? " '" + event + "'" : "";
        return new TwilioProtocolException(Reason.UNKNOWN_EVENT, "unknown event" + shown);
    }
}
