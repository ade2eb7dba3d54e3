package dev.parley.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes and checks {@code X-Twilio-Signature}: base64(HMAC-SHA1(authToken, url + sorted name/value
 * pairs)). The URL must be the one Twilio requested (your configured public URL, not the proxy's view),
 * used byte for byte; like Twilio's helpers, validation also accepts it with the default port added
 * or removed. Comparison is constant-time. Thread-safe; holds the auth token, so never log it.
 */
public final class TwilioSignature {
    /** The header name (Twilio sends it lowercase on WebSocket upgrades; header names are case-insensitive). */
    public static final String HEADER = "X-Twilio-Signature";

    private final SecretKeySpec key;

    private TwilioSignature(String authToken) {
        if (authToken.isEmpty()) {
            throw new IllegalArgumentException("empty auth token");
        }
        this.key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    }

    /** A signer/validator keyed with the account's auth token. */
    public static TwilioSignature of(String authToken) {
        return new TwilioSignature(authToken);
    }

    /** The signature Twilio would send for a form POST to {@code url} with these parameters. */
    public String sign(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        return Base64.getEncoder().encodeToString(hmac(data.toString()));
    }

    /** The signature for a request without form parameters (GET, WebSocket upgrade, JSON body). */
    public String sign(String url) {
        return sign(url, Map.of());
    }

    /** Checks a form-POST webhook (e.g. the voice webhook): every received parameter must be passed. */
    public boolean validate(String url, Map<String, String> params, String signature) {
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String variant : urlVariants(url)) {
            ok |= MessageDigest.isEqual(sign(variant, params).getBytes(StandardCharsets.UTF_8), given);
        }
        return ok;
    }

    /**
     * Checks a Media Streams WebSocket upgrade. {@code streamUrl} is the {@code <Stream url>} from the TwiML;
     * servers often see the upgrade as {@code https://}/{@code http://}, so those schemes are mapped back to
     * {@code wss://}/{@code ws://} before checking. No parameters are signed.
     */
    public boolean validateWebSocket(String streamUrl, String signature) {
        return validate(webSocketUrl(streamUrl), Map.of(), signature);
    }

    /**
     * Checks a JSON-bodied webhook: the URL carries {@code bodySHA256} (lowercase hex SHA-256 of the raw
     * body), the URL is signed with no parameters, and the body must hash to that value.
     */
    public boolean validateJsonBody(String url, byte[] body, String signature) {
        String declared = queryParameter(url, "bodySHA256");
        byte[] actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        boolean bodyOk = MessageDigest.isEqual(actual, declared.getBytes(StandardCharsets.UTF_8));
        return validate(url, Map.of(), signature) & bodyOk;
    }

    /** Rewrites an {@code https}/{@code http} URL to {@code wss}/{@code ws}; other URLs are returned unchanged. */
    public static String webSocketUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return "wss://" + url.substring(8);
        }
        if (lower.startsWith("http://")) {
            return "ws://" + url.substring(7);
        }
        return url;
    }

    /**
     * Parses an {@code application/x-www-form-urlencoded} body (UTF-8) into parameters in arrival order.
     * A repeated name is refused with {@link IllegalArgumentException} (Twilio's voice webhooks never repeat one).
     */
    public static Map<String, String> formParameters(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("repeated form parameter");
            }
        }
        return params;
    }

    /** The URL as given, plus the default-port variants Twilio's helpers also accept. */
    static List<String> urlVariants(String url) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(url);
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            return new ArrayList<>(variants);
        }
        String defaultPort = switch (url.substring(0, schemeEnd).toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> "443";
            case "http", "ws" -> "80";
            default -> "";
        };
        int authStart = schemeEnd + 3;
        int authEnd = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = url.indexOf(c, authStart);
            if (i >= 0 && i < authEnd) {
                authEnd = i;
            }
        }
        int hostStart = url.lastIndexOf('@', authEnd - 1) + 1;
        hostStart = Math.max(hostStart, authStart);
        int colon = -1;
        int bracket = url.lastIndexOf(']', authEnd - 1);
        int lastColon = url.lastIndexOf(':', authEnd - 1);
        if (lastColon >= hostStart && lastColon > bracket) {
            colon = lastColon;
        }
        if (colon < 0) {
            if (!defaultPort.isEmpty()) {
                variants.add(url.substring(0, authEnd) + ":" + defaultPort + url.substring(authEnd));
            }
        } else {
            String port = url.substring(colon + 1, authEnd);
            if (port.isEmpty() || port.equals(defaultPort)) {
                variants.add(url.substring(0, colon) + url.substring(authEnd));
            }
        }
        return new ArrayList<>(variants);
    }

    private static String queryParameter(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return "";
        }
        int hash = url.indexOf('#', q);
        String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
        try {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException malformedEscape) {
            return "";
        }
        return "";
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "TwilioSignature[auth token hidden]";
    }
}
