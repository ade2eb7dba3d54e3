package dev.parley.server;

import java.util.List;

/**
 * One configuration setting: its path in {@code parley.yaml}, the environment variable that overrides it,
 * its default (as text) and what it means.
 *
 * @param secret whether the value must never be printed
 */
public record ConfigKey(String yamlPath, String env, String defaultValue, String meaning, boolean secret) {
    static ConfigKey of(String yamlPath, String env, String defaultValue, String meaning) {
        return new ConfigKey(yamlPath, env, defaultValue, meaning, false);
    }

    static ConfigKey secret(String yamlPath, String env, String meaning) {
        return new ConfigKey(yamlPath, env, "", meaning, true);
    }

    /** Every key Parley reads, in table order. */
    public static final List<ConfigKey> ALL = List.of(
            of("server.port", "PARLEY_PORT", "8080", "HTTP/WebSocket port (0 picks a free one)"),
            of("server.host", "PARLEY_HOST", "0.0.0.0", "interface to listen on"),
            of("server.publicUrl", "PARLEY_PUBLIC_URL", "",
                    "public https URL Twilio reaches (e.g. https://agent.example.com); webhook signatures are checked against it "
                            + "and the stream URL wss://…/twilio/media is derived from it; required when signatures are validated"),
            of("server.maxCalls", "PARLEY_MAX_CALLS", "50",
                    "concurrent calls admitted; above it the voice webhook answers busy and extra streams are closed"),
            of("server.drainTimeout", "PARLEY_DRAIN_SECONDS", "30",
                    "on drain/SIGTERM, how long live calls may continue before they are hung up (seconds)"),
            secret("twilio.authToken", "TWILIO_AUTH_TOKEN", "auth token: validates X-Twilio-Signature and authenticates REST calls"),
            of("twilio.accountSid", "TWILIO_ACCOUNT_SID", "", "account SID for REST call control (hang-up, transfer); empty: no REST"),
            of("twilio.apiBaseUrl", "TWILIO_API_BASE_URL", "https://api.twilio.com", "Twilio REST base URL (a fake in tests)"),
            of("twilio.handoffNumber", "PARLEY_HANDOFF_NUMBER", "",
                    "phone number a transfer to a human dials (E.164); empty: transfers are refused and the call is hung up"),
            of("twilio.validateSignatures", "PARLEY_VALIDATE_SIGNATURES", "true",
                    "check X-Twilio-Signature on the webhook and the WebSocket upgrade; false only for local experiments"),
            secret("twilio.callTokenSecret", "PARLEY_CALL_TOKEN_SECRET",
                    "HMAC key (≥ 32 bytes) of the one-time stream tokens; empty: random per process (set it when several "
                            + "instances share a webhook URL)"),
            of("twilio.callTokenTtl", "PARLEY_CALL_TOKEN_TTL_SECONDS", "60", "how long a stream token stays valid (seconds)"),
            of("twilio.restTimeout", "PARLEY_TWILIO_TIMEOUT_SECONDS", "5", "timeout of one Twilio REST request (seconds)"),
            of("limits.maxMessageBytes", "PARLEY_WS_MAX_MESSAGE_BYTES", "65536",
                    "largest inbound WebSocket text message; larger closes the connection (1009)"),
            of("limits.maxMessagesPerSecond", "PARLEY_WS_MAX_MESSAGES_PER_SECOND", "200",
                    "inbound messages per second per connection (sustained and burst); Twilio sends about 50"),
            of("limits.maxMalformedMessages", "PARLEY_WS_MAX_MALFORMED", "20",
                    "malformed messages tolerated per connection before it is closed"),
            of("limits.sendQueueMessages", "PARLEY_WS_SEND_QUEUE", "1024",
                    "outbound messages queued per connection before agent audio is dropped"),
            of("limits.slowClientTimeout", "PARLEY_WS_SLOW_CLIENT_SECONDS", "5",
                    "a client whose send queue stays full (or a send that blocks) this long has its call ended (seconds)"),
            of("limits.idleTimeout", "PARLEY_WS_IDLE_SECONDS", "30", "a WebSocket silent this long is closed (seconds)"),
            secret("providers.deepgram.apiKey", "DEEPGRAM_API_KEY", "Deepgram key (speech-to-text, Aura TTS)"),
            of("providers.deepgram.baseUrl", "DEEPGRAM_BASE_URL", "", "Deepgram base URL; empty: the vendor's"),
            secret("providers.openai.apiKey", "OPENAI_API_KEY", "OpenAI (or compatible) key"),
            of("providers.openai.baseUrl", "OPENAI_BASE_URL", "", "OpenAI-compatible base URL; empty: the vendor's"),
            of("providers.openai.model", "PARLEY_LLM_MODEL", "", "language model name; empty: the provider module's default"),
            secret("providers.cartesia.apiKey", "CARTESIA_API_KEY", "Cartesia key (TTS)"),
            of("providers.cartesia.baseUrl", "CARTESIA_BASE_URL", "", "Cartesia base URL; empty: the vendor's"),
            secret("providers.elevenlabs.apiKey", "ELEVENLABS_API_KEY", "ElevenLabs key (TTS)"),
            of("providers.elevenlabs.baseUrl", "ELEVENLABS_BASE_URL", "", "ElevenLabs base URL; empty: the vendor's"));

    /** The README table of every key. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| yaml key | environment | default | meaning |\n|---|---|---|---|\n");
        for (ConfigKey k : ALL) {
            out.append("| `").append(k.yamlPath()).append("` | `").append(k.env()).append("` | ")
                    .append(k.defaultValue().isEmpty() ? "" : "`" + k.defaultValue() + "`").append(" | ")
                    .append(k.meaning().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
