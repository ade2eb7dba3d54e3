package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.audio.Pcm;
import dev.parley.audio.Wav;
import dev.parley.audio.WavAudio;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against {@link TwilioCallerFakeServer}, in real time (about 10 s in all). */
class TwilioCallerSimulatorTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void playsAScriptedCallLikeTwilioAndMeasuresIt() {
        Path wav = dir.resolve("turn2.wav");
        Wav.write(wav, WavAudio.of(TestAudio.join(TestAudio.voiced(ms(600), 22050), 22050)));
        TwilioCallerResult r;
        TwilioCallerSimulator sim;
        long late;
        try (var server = new TwilioCallerFakeServer(TwilioCallerFakeServer.Mode.CONNECT, 5)) {
            sim = TwilioCallerSimulator.builder(server.baseUri(), TwilioCallerFakeServer.TOKEN)
                    .from("+15550001111")
                    .say(TestAudio.utterance(ms(800), ms(200), 16000), TwilioCallerStart.at(ms(100)))
                    .say(wav, TwilioCallerStart.afterReply(ms(300), ms(200)))
                    .say(TestAudio.voiced(ms(600), 8000), TwilioCallerStart.bargeIn(ms(400)))
                    .dtmf("1#", TwilioCallerStart.after(ms(200)))
                    .hangUp(TwilioCallerStart.afterReply(ms(300), ms(100)))
                    .build();
            r = sim.run();
            // the tick loop catches up after a stall (absolute schedule), so bounds below allow for it
            late = r.maxSendLateness().toMillis();

            // the call as a whole
            assertThat(r.errors()).isEmpty();
            assertThat(r.outcome()).isEqualTo(TwilioCallerResult.Outcome.CONNECTED);
            assertThat(r.hungUp()).isTrue();
            assertThat(r.serverClosed()).isFalse();
            assertThat(r.streamParameters()).isEqualTo(Map.of("tenant", "acme", "callToken", "t-1"));

            // the webhook: signed (the server answered 200) with Twilio's parameters
            assertThat(server.webhooks).singleElement().satisfies(p -> {
                assertThat(p).containsEntry("CallSid", sim.callSid()).containsEntry("AccountSid", sim.accountSid())
                        .containsEntry("From", "+15550001111").containsEntry("CallStatus", "ringing")
                        .containsEntry("Direction", "inbound").containsKey("To");
            });
            assertThat(server.streamSignatureValid).isTrue();

            // the stream messages: connected, start, media..., stop; counters as strings, no gaps
            assertThat(server.events.getFirst()).isEqualTo("connected");
            assertThat(server.events.get(1)).isEqualTo("start");
            assertThat(server.events.getLast()).isEqualTo("stop");
            JsonNode start = server.starts.getFirst().path("start");
            assertThat(start.path("callSid").asText()).isEqualTo(sim.callSid());
            assertThat(start.path("tracks").toString()).isEqualTo("[\"inbound\"]");
            assertThat(start.path("mediaFormat").toString())
                    .isEqualTo("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}");
            assertThat(start.path("customParameters").path("callToken").asText()).isEqualTo("t-1");
            int n = server.sequenceNumbers.size();
            assertThat(server.sequenceNumbers).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
            int frames = server.chunks.size();
            assertThat(server.chunks).containsExactlyElementsOf(LongStream.rangeClosed(1, frames).boxed().toList());
            assertThat(server.timestamps).containsExactlyElementsOf(
                    LongStream.range(0, frames).map(k -> 20 * k).boxed().toList());
            assertThat(server.payloadSizes).containsOnly(160);
            assertThat(server.dtmf.toString()).isEqualTo("1#");
            assertThat(r.dtmfSent()).isEqualTo("1#");

            // pacing: N frames take (N - 1) x 20 ms of wall clock, on an absolute schedule (no drift).
            // The server runs in this JVM on a shared machine: a GC or scheduling stall delays a few
            // frames, so the bounds are generous and drift is judged on medians.
            List<Long> at = server.mediaReceivedAt;
            long elapsed = (at.getLast() - at.getFirst()) / MS;
            assertThat(elapsed).as("%d frames", frames).isBetween((frames - 1) * 20L - 500, (frames - 1) * 20L + 500);
            long[] offset = new long[frames];
            for (int k = 0; k < frames; k++) {
                offset[k] = (at.get(k) - at.getFirst()) / MS - 20L * k;
            }
            long drift = median(offset, frames - 50, frames) - median(offset, 0, frames);
            assertThat(Math.abs(drift)).as("drift over %d frames, ms", frames).isLessThanOrEqualTo(50);
            assertThat(r.maxSendLateness()).isLessThan(ms(1000));

            // marks: all echoed, in order; not before their audio played, unless cleared
            List<String> sentNames = server.marksSent.stream().map(TwilioCallerFakeServer.SentMark::name).toList();
            assertThat(sentNames).hasSize(15);
            assertThat(r.marksReceived()).isEqualTo(15);
            assertThat(r.marksEchoed()).containsExactlyElementsOf(sentNames);
            assertThat(server.markEchoedAt.keySet()).containsExactlyInAnyOrderElementsOf(sentNames);
            assertThat(server.clears).singleElement().satisfies(c -> assertThat(c.pending()).isNotEmpty());
            var clear = server.clears.getFirst();
            for (var mark : server.marksSent) {
                long echoMs = (server.markEchoedAt.get(mark.name()) - mark.sentAt()) / MS;
                long audioMs = mark.audioBefore().toMillis();
                if (clear.pending().contains(mark.name())) {
                    long afterClear = (server.markEchoedAt.get(mark.name()) - clear.at()) / MS;
                    assertThat(afterClear).as("%s echoed after clear", mark.name()).isBetween(0L, 500L);
                    assertThat(echoMs).as("%s echoed before its audio played out", mark.name()).isLessThan(audioMs);
                } else {
                    assertThat(echoMs).as("%s echoed after playback", mark.name()).isBetween(audioMs - 1 - late, audioMs + 500);
                }
            }
            assertThat(r.clears()).isEqualTo(1);
        }

        // turns: gap ~ the server's 300 ms endpointing, counted from the last voiced frame (turn 0 ends
        // with 200 ms of silence); barge-in reaction ~ the server's two-frame trigger
        assertThat(r.turns()).hasSize(3);
        var t0 = r.turns().get(0);
        var t1 = r.turns().get(1);
        var t2 = r.turns().get(2);
        assertThat(t0.startedAt()).isBetween(ms(100), ms(120 + late));
        assertThat(t0.endedAt().minus(t0.lastVoicedAt().orElseThrow())).isBetween(ms(180 - late), ms(220 + late));
        for (var t : r.turns()) {
            assertThat(t.gap()).as("turn %d gap", t.index()).hasValueSatisfying(g -> assertThat(g).isBetween(ms(280 - late), ms(1500)));
            assertThat(t.agentAudio()).isEqualTo(ms(1000));
        }
        assertThat(t0.interrupting()).isFalse();
        assertThat(t1.interrupting()).isFalse();
        assertThat(t0.bargeInReaction()).isEmpty();
        assertThat(t1.bargeInReaction()).isEmpty();
        assertThat(t2.interrupting()).isTrue();
        assertThat(t2.bargeInReaction()).hasValueSatisfying(b -> assertThat(b).isBetween(ms(Math.max(1, 20 - late)), ms(1000)));
        // the barge-in turn started once the agent had played 400 ms of its reply to turn 1
        long replyStart = t1.lastVoicedAt().orElseThrow().plus(t1.gap().orElseThrow()).toMillis();
        assertThat(t2.startedAt().toMillis() - replyStart).isBetween(400L - late, 440L + late);
        assertThat(t1.startedAt().minus(t0.lastVoicedAt().orElseThrow()))
                .as("turn 1 waits for the 1 s reply + 300 ms quiet + 200 ms pause")
                .isGreaterThan(ms(1700 - late));
        assertThat(r.agentAudioReceived()).isEqualTo(ms(3000));
        assertThat(r.agentAudioPlayed()).as("reply 2 was cut").isBetween(ms(2400), ms(2980));
        assertThat(r.firstAgentAudio()).hasValueSatisfying(f -> assertThat(f).isGreaterThan(ms(1000)));

        // the stereo recording: both channels on the stream clock, one 160-sample block per frame
        WavAudio rec = r.recording();
        assertThat(rec.channels()).isEqualTo(2);
        assertThat(rec.sampleRate()).isEqualTo(8000);
        short[] caller = rec.channel(0);
        short[] agent = rec.channel(1);
        assertThat(caller.length % 160).isZero();
        assertThat(rec.duration()).isCloseTo(r.callDuration(), ms(60 + late));
        assertThat(firstLoudBlock(caller, 0) * 20L).isCloseTo(t0.firstVoicedAt().orElseThrow().toMillis(), within(40L + late));
        long replyHeard = t0.lastVoicedAt().orElseThrow().plus(t0.gap().orElseThrow()).toMillis();
        int agentOnset = firstLoudBlock(agent, 0);
        assertThat(agentOnset * 20L).isBetween(replyHeard - 20 - late, replyHeard + 40);
        assertThat(firstLoudBlock(caller, agentOnset)).as("caller silent while the first reply plays")
                .isGreaterThanOrEqualTo(agentOnset + 50);
        assertThat(loudBlocks(agent) * 20L).isCloseTo(r.agentAudioPlayed().toMillis(), within(60L));
        Path out = dir.resolve("call.wav");
        Wav.write(out, rec);
        assertThat(Wav.read(out)).isEqualTo(rec);
    }

    @Test
    void reportsWhenTheServerClosesTheStream() {
        try (var server = new TwilioCallerFakeServer(TwilioCallerFakeServer.Mode.CLOSE_AFTER_FIRST_REPLY, 2)) {
            var r = TwilioCallerSimulator.builder(server.baseUri(), TwilioCallerFakeServer.TOKEN)
                    .say(TestAudio.voiced(ms(400), 8000), TwilioCallerStart.at(ms(60)))
                    .say(TestAudio.voiced(ms(400), 8000))
                    .record(false)
                    .build()
                    .run();

            assertThat(r.errors()).isEmpty();
            assertThat(r.outcome()).isEqualTo(TwilioCallerResult.Outcome.CONNECTED);
            assertThat(r.serverClosed()).isTrue();
            assertThat(r.hungUp()).isFalse();
            assertThat(r.turns()).hasSize(1);
            assertThat(r.marksEchoed()).containsExactly("r1-0", "r1-1");
            assertThat(server.events).doesNotContain("stop");
            assertThat(r.recording().frames()).isZero();
            assertThat(r.callDuration()).isBetween(ms(1100), ms(5000));
        }
    }

    @Test
    void reportsARejectedCall() {
        try (var server = new TwilioCallerFakeServer(TwilioCallerFakeServer.Mode.REJECT_BUSY, 1)) {
            var r = TwilioCallerSimulator.builder(server.baseUri(), TwilioCallerFakeServer.TOKEN)
                    .say(TestAudio.voiced(ms(200), 8000)).build().run();

            assertThat(r.outcome()).isEqualTo(TwilioCallerResult.Outcome.REJECTED);
            assertThat(r.detail()).isEqualTo("busy");
            assertThat(r.twiml()).contains("<Reject");
            assertThat(r.turns()).isEmpty();
            assertThat(server.events).isEmpty();
        }
    }

    @Test
    void badSignaturesAreRefusedByAValidatingServer() {
        try (var server = new TwilioCallerFakeServer(TwilioCallerFakeServer.Mode.CONNECT, 1)) {
            var webhook = TwilioCallerSimulator.builder(server.baseUri(), TwilioCallerFakeServer.TOKEN)
                    .webhookSignature(TwilioCallerSimulator.Signing.WRONG_TOKEN)
                    .say(TestAudio.voiced(ms(200), 8000)).build().run();
            assertThat(webhook.outcome()).isEqualTo(TwilioCallerResult.Outcome.WEBHOOK_FAILED);
            assertThat(webhook.webhookStatus()).isEqualTo(403);

            var stream = TwilioCallerSimulator.builder(server.baseUri(), TwilioCallerFakeServer.TOKEN)
                    .streamSignature(TwilioCallerSimulator.Signing.HTTPS_URL)
                    .say(TestAudio.voiced(ms(200), 8000)).build().run();
            assertThat(stream.outcome()).isEqualTo(TwilioCallerResult.Outcome.STREAM_FAILED);
            assertThat(stream.detail()).contains("403");
            assertThat(server.streamSignatureValid).isFalse();
            assertThat(server.events).isEmpty();
        }
    }

    private static long median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }

    /** Index of the first 20 ms block from {@code fromBlock} above -40 dBFS, or -1. */
    private static int firstLoudBlock(short[] samples, int fromBlock) {
        for (int b = fromBlock; (b + 1) * 160 <= samples.length; b++) {
            if (Pcm.levelDbfs(samples, b * 160, 160) > -40) {
                return b;
            }
        }
        return -1;
    }

    private static int loudBlocks(short[] samples) {
        int count = 0;
        for (int b = 0; (b + 1) * 160 <= samples.length; b++) {
            if (Pcm.levelDbfs(samples, b * 160, 160) > -40) {
                count++;
            }
        }
        return count;
    }
}
