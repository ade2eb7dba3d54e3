package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParleyConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        var c = ParleyConfig.defaults();
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().maxCalls()).isEqualTo(50);
        assertThat(c.server().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.twilio().apiBaseUrl()).isEqualTo(URI.create("https://api.twilio.com"));
        assertThat(c.twilio().validateSignatures()).isTrue();
        assertThat(c.limits().maxMalformedMessages()).isEqualTo(20);
    }

    @Test
    void yamlIsReadAndTheEnvironmentWins() throws Exception {
        Path file = dir.resolve("parley.yaml");
        Files.writeString(file, """
                server:
                  port: 9000
                  publicUrl: https://agent.example.com/
                  maxCalls: 7
                  drainTimeout: 2m
                twilio:
                  handoffNumber: "+15552223333"
                limits:
                  slowClientTimeout: 1500ms
                providers:
                  openai:
                    model: small-model
                """);
        var c = ParleyConfig.load(Optional.of(file), Map.of("PARLEY_MAX_CALLS", "3", "OPENAI_API_KEY", "sk-secret"));
        assertThat(c.server().port()).isEqualTo(9000);
        assertThat(c.server().publicUrl()).isEqualTo("https://agent.example.com");
        assertThat(c.server().maxCalls()).isEqualTo(3);
        assertThat(c.server().drainTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.twilio().handoffNumber()).isEqualTo("+15552223333");
        assertThat(c.limits().slowClientTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.providers().llmModel()).isEqualTo("small-model");
        assertThat(c.providers().openai().apiKey()).isEqualTo("sk-secret");
        assertThat(c.toString()).doesNotContain("sk-secret", "+15552223333");
    }

    @Test
    void mistakesNameTheKeyButNeverASecret() throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "server:\n  prot: 9000\n");
        assertThatThrownBy(() -> ParleyConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.prot");
        assertThatThrownBy(() -> ParleyConfig.load(Optional.empty(), Map.of("PARLEY_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> ParleyConfig.load(Optional.empty(), Map.of("PARLEY_CALL_TOKEN_SECRET", "short")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("short'");
        assertThatThrownBy(() -> ParleyConfig.load(Optional.empty(), Map.of("PARLEY_PUBLIC_URL", "ftp://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_PUBLIC_URL");
    }

    @Test
    void theServerRefusesToStartWithoutWhatSignaturesNeed() {
        assertThatThrownBy(() -> ParleyServer.create(ParleyConfig.defaults(), call -> {
            throw new AssertionError();
        })).isInstanceOf(ConfigException.class).hasMessageContaining("TWILIO_AUTH_TOKEN");
    }

    @Test
    void theTableListsEveryKey() {
        String table = ConfigKey.markdownTable();
        assertThat(ConfigKey.ALL).hasSize(28);
        ConfigKey.ALL.forEach(k -> assertThat(table).contains("`" + k.env() + "`", "`" + k.yamlPath() + "`"));
        assertThat(ConfigKey.ALL).extracting(ConfigKey::env).doesNotHaveDuplicates();
    }
}
