package dev.parley.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.ParleyException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call control over Twilio's REST API ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json}):
 * replace a live call's TwiML (human handoff with {@code <Dial>}) or hang it up. Blocking calls on the JDK
 * {@link HttpClient}, meant for virtual threads; Basic auth with the account SID and auth token.
 * Thread-safe. Failures throw {@link TwilioApiException} (retryable for 429, 5xx and network errors).
 */
public final class TwilioRestClient implements AutoCloseable {
    /** Twilio's production API. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.twilio.com");

    private static final Logger log = LoggerFactory.getLogger(TwilioRestClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final String accountSid;
    private final String authorization;
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final boolean ownsClient;

    /** What Twilio answered about the call: its SID and status ({@code in-progress}, {@code completed}, …). */
    public record CallResource(String sid, String status) {}

    private TwilioRestClient(Builder b) {
        this.accountSid = sid(b.accountSid, "accountSid");
        if (b.authToken.isEmpty()) {
            throw new IllegalArgumentException("authToken is required");
        }
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((b.accountSid + ":" + b.authToken).getBytes(StandardCharsets.UTF_8));
        String base = b.baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = b.timeout;
        this.ownsClient = b.httpClient == null;
        this.http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Replaces the call's current TwiML (this ends a {@code <Connect><Stream>}: its socket gets {@code stop}). */
    public CallResource updateTwiml(String callSid, String twiml) {
        return updateCall(callSid, Map.of("Twiml", twiml));
    }

    /** Hands the call to a human: the call leaves the agent and runs {@code <Dial>}. */
    public CallResource transfer(String callSid, TwiML.Dial dial) {
        return updateTwiml(callSid, TwiML.response().dial(dial).build());
    }

    /** Hands the call to a human at {@code number}. */
    public CallResource transfer(String callSid, String number) {
        return transfer(callSid, TwiML.dialNumber(number));
    }

    /** Ends the call ({@code Status=completed}). */
    public CallResource hangUp(String callSid) {
        return updateCall(callSid, Map.of("Status", "completed"));
    }

    /** Posts any Call-update parameters ({@code Twiml}, {@code Url}, {@code Method}, {@code Status}, …). */
    public CallResource updateCall(String callSid, Map<String, String> form) {
        sid(callSid, "callSid");
        URI uri = URI.create(baseUrl + "/2010-04-01/Accounts/" + accountSid + "/Calls/" + callSid + ".json");
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TwilioApiException("Twilio call update failed: " + e.getClass().getSimpleName(), 0, 0, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while updating a Twilio call", false, e);
        }
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status / 100 == 2) {
            CallResource call = new CallResource(json.path("sid").asText(callSid), json.path("status").asText(""));
            log.debug("Twilio call {} updated ({} parameters), status {}", callSid, form.size(), call.status());
            return call;
        }
        int code = json.path("code").asInt(0);
        boolean retryable = status == 429 || status >= 500;
        log.debug("Twilio call {} update failed: HTTP {}, code {}", callSid, status, code);
        throw new TwilioApiException("Twilio call update failed: HTTP " + status + (code != 0 ? ", code " + code : ""),
                status, code, retryable, null);
    }

    @Override
    public void close() {
        if (ownsClient) {
            http.close();
        }
    }

    @Override
    public String toString() {
        return "TwilioRestClient[" + baseUrl + ", account " + accountSid + "]";
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MAPPER.missingNode() : node;
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String sid(String sid, String what) {
        if (!SID.matcher(sid).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 letters and digits");
        }
        return sid;
    }

    /** Configures a {@link TwilioRestClient}; account SID and auth token are required. */
    public static final class Builder {
        private String accountSid = "";
        private String authToken = "";
        private URI baseUrl = DEFAULT_BASE_URL;
        private Duration timeout = Duration.ofSeconds(10);
        private @org.jspecify.annotations.Nullable HttpClient httpClient;

        private Builder() {}

        public Builder accountSid(String accountSid) {
            this.accountSid = accountSid;
            return this;
        }

        public Builder authToken(String authToken) {
            this.authToken = authToken;
            return this;
        }

        /** Where the API lives (default {@code https://api.twilio.com}); a loopback fake in tests. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Connect and per-request timeout (default 10 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** A shared client; it is not closed by {@link TwilioRestClient#close()}. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public TwilioRestClient build() {
            return new TwilioRestClient(this);
        }
    }
}
