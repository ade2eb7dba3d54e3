package dev.parley.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
    private static List<String> decodeSplitAt(byte[] bytes, int... cuts) {
        var d = new SseDecoder();
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.addAll(d.feed(ByteBuffer.wrap(bytes, from, cut - from)));
            from = cut;
        }
        out.addAll(d.feed(ByteBuffer.wrap(bytes, from, bytes.length - from)));
        out.addAll(d.end());
        return out;
    }

    @Test
    void everyLineEndingAndEverySplitPointGiveTheSameEvents() {
        String body = ": keep-alive\n\ndata: {\"a\":\"é€😀\"}\n\nevent: x\nid: 7\ndata: first\ndata: second\n\n"
                + "data:no-space\n\ndata: [DONE]\n\n";
        List<String> expected = List.of("{\"a\":\"é€😀\"}", "first\nsecond", "no-space", "[DONE]");
        for (String nl : List.of("\n", "\r\n", "\r")) {
            byte[] bytes = body.replace("\n", nl).getBytes(StandardCharsets.UTF_8);
            assertThat(decodeSplitAt(bytes)).as("whole, line ending %s", nl.replace("\r", "CR").replace("\n", "LF"))
                    .isEqualTo(expected);
            for (int cut = 1; cut < bytes.length; cut++) {
                assertThat(decodeSplitAt(bytes, cut)).as("split at %d", cut).isEqualTo(expected);
            }
        }
    }

    @Test
    void byteAtATimeDecodesSplitUtf8() {
        byte[] bytes = "data: Grüße 😀\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        int[] cuts = new int[bytes.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(decodeSplitAt(bytes, cuts)).containsExactly("Grüße 😀");
    }

    @Test
    void commentsAloneProduceNoEventsAndAnUnterminatedLastEventIsKept() {
        var d = new SseDecoder();
        assertThat(d.feed(ByteBuffer.wrap(": ping\n\n: ping\n\n".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(d.feed(ByteBuffer.wrap("data: [DONE]".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(d.end()).containsExactly("[DONE]");
    }

    @Test
    void longLinesGrowTheBuffer() {
        String big = "x".repeat(10_000);
        var d = new SseDecoder();
        assertThat(d.feed(ByteBuffer.wrap(("data: " + big + "\n\n").getBytes(StandardCharsets.UTF_8))))
                .containsExactly(big);
    }
}
