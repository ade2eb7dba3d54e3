package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** One short simulated call (three turns, the third a barge-in) through the real benchmark, server and Silero VAD. */
class LoadBenchSmokeTest {

    @Test
    @Timeout(60)
    void oneCallIsMeasuredEndToEnd(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("load.json");
        var table = new ByteArrayOutputStream();
        int exit = new CommandLine(new LoadBench().output(new PrintStream(table, true, StandardCharsets.UTF_8)))
                .execute("--calls", "1", "--turns", "3", "--warmup", "0", "--max-call", "40s",
                        "--json", json.toString());
        String printed = table.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("turnGap", "overhead", "bargeInReaction", "load average");

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.at("/calls/ok").asInt()).as(printed).isEqualTo(1);
        assertThat(r.at("/turns/measured").asInt()).isEqualTo(3);
        assertThat(r.at("/turns/traced").asInt()).isEqualTo(3);
        assertThat(r.at("/turns/bargeInsMeasured").asInt()).isEqualTo(1);
        // the fakes add VAD silence 300 + TTFT 350 + TTFB 90 ms at least: a gap below that is a measuring error
        double gap = r.at("/latencyMs/turnGap/p50").asDouble();
        assertThat(gap).isBetween(740.0, 5_000.0);
        // the stages the fakes were told to take are measured as such (generous bounds: the machine is shared)
        assertThat(r.at("/stagesMs/llmTimeToFirstToken/p50").asDouble()).isBetween(345.0, 1_000.0);
        assertThat(r.at("/stagesMs/ttsTimeToFirstByte/p50").asDouble()).isBetween(85.0, 1_000.0);
        assertThat(r.at("/stagesMs/vadEndLag/p50").asDouble()).isBetween(280.0, 1_000.0);
        double reaction = r.at("/latencyMs/bargeInReaction/p50").asDouble();
        assertThat(reaction).isBetween(20.0, Duration.ofSeconds(2).toMillis() * 1.0);
        // every turn has an overhead, and it is what is left of the gap after the fakes' latencies
        JsonNode first = r.at("/samples/0");
        assertThat(first.get("overheadMs").asDouble())
                .isCloseTo(first.get("gapMs").asDouble() - first.get("expectedMs").asDouble(),
                        org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.at("/cost/cpuSeconds").asDouble()).isPositive();
    }

    @Test
    void firstChunkIsTheFirstSentence() {
        assertThat(CallerScript.firstChunkWords("Great choice. I have added it.")).isEqualTo(2);
        assertThat(CallerScript.firstChunkWords("I can add a cola for you. We also have tea.")).isEqualTo(7);
        assertThat(CallerScript.firstChunkWords("no end")).isEqualTo(2);
    }

    @Test
    void durationsParseWithUnits() {
        var c = new LoadBench.DurationConverter();
        assertThat(c.convert("150ms")).isEqualTo(Duration.ofMillis(150));
        assertThat(c.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.convert("90")).isEqualTo(Duration.ofMillis(90));
    }
}
