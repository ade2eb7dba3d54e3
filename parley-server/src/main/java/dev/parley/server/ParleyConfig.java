package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Everything the server is configured with: defaults, then {@code parley.yaml} (optional), then environment
 * variables. {@link ConfigKey#ALL} lists every key. {@code toString} never shows secrets.
 */
public record ParleyConfig(Server server, Twilio twilio, Limits limits, Providers providers) {
    /** The environment variable naming the YAML file (default {@code ./parley.yaml} when it exists). */
    public static final String CONFIG_FILE_ENV = "PARLEY_CONFIG";

    /** The listener and its capacity. */
    public record Server(int port, String host, String publicUrl, int maxCalls, Duration drainTimeout) {}

    /** Twilio account, signatures, stream tokens and call control. */
    public record Twilio(String authToken, String accountSid, URI apiBaseUrl, String handoffNumber,
                         boolean validateSignatures, String callTokenSecret, Duration callTokenTtl, Duration restTimeout) {
        @Override
        public String toString() {
            return "Twilio[authToken=" + hidden(authToken) + ", accountSid=" + accountSid + ", apiBaseUrl=" + apiBaseUrl
                    + ", handoffNumber=" + hidden(handoffNumber) + ", validateSignatures=" + validateSignatures
                    + ", callTokenSecret=" + hidden(callTokenSecret) + ", callTokenTtl=" + callTokenTtl
                    + ", restTimeout=" + restTimeout + "]";
        }
    }

    /** Per-connection WebSocket limits. */
    public record Limits(int maxMessageBytes, int maxMessagesPerSecond, int maxMalformedMessages, int sendQueueMessages,
                         Duration slowClientTimeout, Duration idleTimeout) {}

    /** A cloud provider's key and base URL ("" for the vendor's default). */
    public record Provider(String apiKey, String baseUrl) {
        @Override
        public String toString() {
            return "Provider[apiKey=" + hidden(apiKey) + ", baseUrl=" + baseUrl + "]";
        }
    }

    /** Provider settings for the agent factory; the server itself uses none of them. */
    public record Providers(Provider deepgram, Provider openai, String llmModel, Provider cartesia, Provider elevenlabs) {}

    /** Only the defaults (no file, no environment). */
    public static ParleyConfig defaults() {
        return load(Optional.empty(), Map.of());
    }

    /** From {@code $PARLEY_CONFIG} or {@code ./parley.yaml} (if present) and the process environment. */
    public static ParleyConfig fromEnvironment() {
        Map<String, String> env = System.getenv();
        Optional<Path> file = Optional.ofNullable(env.get(CONFIG_FILE_ENV)).filter(s -> !s.isBlank()).map(Path::of)
                .or(() -> Optional.of(Path.of("parley.yaml")).filter(Files::isRegularFile));
        return load(file, env);
    }

    /** From an optional YAML file, overridden by {@code env} (environment variable names → values). */
    public static ParleyConfig load(Optional<Path> yamlFile, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (ConfigKey k : ConfigKey.ALL) {
            values.put(k.yamlPath(), k.defaultValue());
        }
        if (yamlFile.isPresent()) {
            readYaml(yamlFile.get(), values);
        }
        for (ConfigKey k : ConfigKey.ALL) {
            String v = env.get(k.env());
            if (v != null) {
                values.put(k.yamlPath(), v.strip());
            }
        }
        return build(new Values(values));
    }

    private static void readYaml(Path file, Map<String, String> values) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the top level must be a mapping");
        }
        flatten("", root, values, file);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> values, Path file) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(path, v, values, file);
            } else if (!values.containsKey(path)) {
                var known = new TreeSet<String>();
                ConfigKey.ALL.forEach(k -> known.add(k.yamlPath()));
                throw new ConfigException(file + ": unknown key '" + path + "' (known keys: " + known + ")");
            } else if (v.isValueNode()) {
                values.put(path, v.isNull() ? "" : v.asText().strip());
            } else {
                throw new ConfigException(file + ": '" + path + "' must be a single value");
            }
        }
    }

    private static ParleyConfig build(Values v) {
        var server = new Server(v.integer("server.port", 0, 65535), v.text("server.host"),
                stripSlash(v.text("server.publicUrl")), v.integer("server.maxCalls", 1, 100_000),
                v.seconds("server.drainTimeout"));
        var twilio = new Twilio(v.text("twilio.authToken"), v.text("twilio.accountSid"),
                v.parse("twilio.apiBaseUrl", URI::create), v.text("twilio.handoffNumber"),
                v.bool("twilio.validateSignatures"), v.text("twilio.callTokenSecret"), v.seconds("twilio.callTokenTtl"),
                v.seconds("twilio.restTimeout"));
        var limits = new Limits(v.integer("limits.maxMessageBytes", 1024, 16 << 20),
                v.integer("limits.maxMessagesPerSecond", 1, 1_000_000), v.integer("limits.maxMalformedMessages", 0, 1_000_000),
                v.integer("limits.sendQueueMessages", 1, 1_000_000), v.seconds("limits.slowClientTimeout"),
                v.seconds("limits.idleTimeout"));
        var providers = new Providers(v.provider("deepgram"), v.provider("openai"), v.text("providers.openai.model"),
                v.provider("cartesia"), v.provider("elevenlabs"));
        String pub = server.publicUrl().toLowerCase(Locale.ROOT);
        if (!pub.isEmpty() && !pub.startsWith("https://") && !pub.startsWith("http://")) {
            throw new ConfigException("server.publicUrl (PARLEY_PUBLIC_URL) must start with https:// (or http:// for tests)");
        }
        if (pub.indexOf('?') >= 0 || pub.indexOf('#') >= 0) {
            throw new ConfigException("server.publicUrl (PARLEY_PUBLIC_URL) must not have a query string");
        }
        if (!twilio.callTokenSecret().isEmpty() && twilio.callTokenSecret().length() < 32) {
            throw new ConfigException("twilio.callTokenSecret (PARLEY_CALL_TOKEN_SECRET) must be at least 32 characters");
        }
        return new ParleyConfig(server, twilio, limits, providers);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String hidden(String secret) {
        return secret.isEmpty() ? "<unset>" : "<set>";
    }

    /** Resolved text values with typed, key-naming parsing. */
    private record Values(Map<String, String> raw) {
        String text(String path) {
            return raw.getOrDefault(path, "");
        }

        private ConfigException bad(String path, String expected) {
            ConfigKey key = ConfigKey.ALL.stream().filter(k -> k.yamlPath().equals(path)).findFirst().orElseThrow();
            String shown = key.secret() ? "" : " (got '" + text(path) + "')";
            return new ConfigException(path + " (" + key.env() + ") must be " + expected + shown);
        }

        int integer(String path, int min, int max) {
            try {
                int n = Integer.parseInt(text(path));
                if (n < min || n > max) {
                    throw bad(path, "between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(path, "a whole number");
            }
        }

        boolean bool(String path) {
            return switch (text(path).toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw bad(path, "true or false");
            };
        }

        /** Whole seconds ("30"), or a duration with a unit ("500ms", "30s", "2m") or ISO-8601 ("PT30S"). */
        Duration seconds(String path) {
            String s = text(path).toLowerCase(Locale.ROOT);
            try {
                Duration d;
                if (s.startsWith("pt")) {
                    d = Duration.parse(s.toUpperCase(Locale.ROOT));
                } else if (s.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
                } else if (s.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).strip()));
                } else if (s.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).strip()));
                } else {
                    d = Duration.ofSeconds(Long.parseLong(s));
                }
                if (d.isNegative()) {
                    throw bad(path, "a positive duration");
                }
                return d;
            } catch (NumberFormatException | DateTimeParseException e) {
                throw bad(path, "a duration in seconds (e.g. 30, 30s, 500ms, PT30S)");
            }
        }

        <T> T parse(String path, Function<String, T> parser) {
            try {
                return parser.apply(text(path));
            } catch (IllegalArgumentException e) {
                throw bad(path, "valid");
            }
        }

        Provider provider(String name) {
            return new Provider(text("providers." + name + ".apiKey"), stripSlash(text("providers." + name + ".baseUrl")));
        }
    }
}
