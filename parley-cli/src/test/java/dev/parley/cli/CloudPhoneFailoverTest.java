package dev.parley.cli;

import static dev.parley.cli.PhoneServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.examples.ordering.Cart;
import dev.parley.testkit.TwilioCallerResult;
import dev.parley.testkit.TwilioCallerSimulator;
import dev.parley.testkit.TwilioCallerStart;
import dev.parley.testkit.fakes.cartesia.CartesiaFault;
import dev.parley.testkit.fakes.deepgram.ListenFault;
import dev.parley.testkit.fakes.deepgram.RecordedListen;
import dev.parley.testkit.fakes.openai.FakeReply;
import dev.parley.testkit.fakes.openai.RecordedRequest;
import dev.parley.twilio.testing.FakeTwilioApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Phone calls through the Parley server on the cloud stack ({@link CloudOrdering}) with every cloud SPI on a loopback
 * fake: first a clean call, then the same call with each primary provider failing mid-turn (Deepgram dropping its
 * socket, the primary model stalling half-way through an answer, Cartesia stalling half-way through the audio), and
 * with every model failing. Each call must complete, the caller must never hear more than 1.5 s of silence while
 * waiting for or listening to an answer (measured on the simulator's recording of what it played), and every history
 * sent to a model must be valid (each tool call answered).
 */
class CloudPhoneFailoverTest {
    private static final int PHONE_RATE = 8000;
    private static final Duration MAX_SILENCE = Duration.ofMillis(1500);
    private static final List<String> CALLER = List.of("a large pepperoni pizza please", "and a diet coke",
            "that is all thanks");
    private static final Map<String, List<AudioFrame>> SPEECH = new ConcurrentHashMap<>();

    private static CloudPhoneRig rig;
    private static PhoneServer phone;

    @BeforeAll
    static void start() {
        Parley.quietLogging();
        long t0 = System.nanoTime();
        rig = new CloudPhoneRig();
        phone = PhoneServer.start(rig.stack.agent());
        System.out.printf("[cloud phone] stack built and warmed in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000,
                rig.stack.describe());
    }

    @AfterAll
    static void stop() {
        if (phone != null) {
            phone.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    /** One finished call and what the fakes and the provider events saw during it. */
    private record Call(String sid, TwilioCallerResult result, long startNanos, List<CloudPhoneRig.Seen> events,
                        List<RecordedRequest> requests, List<CloudPhoneSilence.TurnSilence> silences) {
        List<CloudPhoneRig.Seen> kind(String kind) {
            return events.stream().filter(s -> s.event().kind().equals(kind)).toList();
        }

        String why() {
            return "errors " + result.errors() + "\nturns " + result.turns() + "\nsilences " + silences + "\nevents "
                    + events.stream().map(s -> s.event().toString()).toList();
        }
    }

    private static Call call(String name, int turns) {
        String sid = phone.newCall();
        long t0 = System.nanoTime();
        TwilioCallerSimulator.Builder caller = phone.caller(sid)
                .defaultStart(TwilioCallerStart.afterReply(Duration.ofMillis(1600), Duration.ofMillis(100)));
        for (int i = 0; i < turns; i++) {
            caller.say(SPEECH.computeIfAbsent(CALLER.get(i), t -> CallerVoice.speak(t, PHONE_RATE)));
        }
        TwilioCallerResult r = caller.build().run();
        await("the call is released", () -> phone.server().activeCalls() == 0, Duration.ofSeconds(15));
        var silences = CloudPhoneSilence.perTurn(r);
        Call c = new Call(sid, r, t0, rig.eventsSince(t0), rig.chatRequestsSince(t0), silences);
        System.out.printf("[cloud phone] %s: greeting after %d ms, turn gaps (received) %s ms, heard silences"
                        + " (gap/inside) %s ms, longest %d ms, call %d ms%n", name,
                r.firstAgentAudio().map(Duration::toMillis).orElse(-1L),
                r.turns().stream().map(t -> t.gap().map(Duration::toMillis).orElse(-1L)).toList(),
                silences.stream().map(s -> s.gap().toMillis() + "/" + s.longestInside().toMillis()).toList(),
                CloudPhoneSilence.longest(silences).toMillis(), r.callDuration().toMillis());
        for (CloudPhoneRig.Seen s : c.events()) {
            if (!s.event().kind().equals("routing")) {
                System.out.printf("[cloud phone] %s:   +%d ms %s%n", name, (s.nanos() - t0) / 1_000_000, s.event());
            }
        }
        return c;
    }

    /** The call completed, every turn was answered, the caller never waited in silence too long, histories valid. */
    private static void assertCompleted(Call c, int turns) {
        assertCompleted(c, turns, MAX_SILENCE, MAX_SILENCE);
    }

    /** As above, with other bounds for the first turn's silence and the later turns'. */
    private static void assertCompleted(Call c, int turns, Duration firstTurnBound, Duration laterBound) {
        String why = c.why();
        assertThat(c.result().outcome()).as(why).isEqualTo(TwilioCallerResult.Outcome.CONNECTED);
        assertThat(c.result().errors()).as(why).isEmpty();
        assertThat(c.result().firstAgentAudio()).as("the greeting is heard").isPresent();
        assertThat(c.result().turns()).as(why).hasSize(turns).allSatisfy(t -> {
            assertThat(t.gap()).as("each turn is answered: " + why).isPresent();
            assertThat(t.agentAudio()).as("each answer is heard: " + why).isGreaterThan(Duration.ofMillis(500));
        });
        assertThat(c.silences().getFirst().longest()).as("the longest silence heard in turn 1: " + why)
                .isLessThanOrEqualTo(firstTurnBound);
        assertThat(CloudPhoneSilence.longest(c.silences().subList(1, c.silences().size())))
                .as("the longest silence heard after turn 1: " + why).isLessThanOrEqualTo(laterBound);
        assertThat(c.requests()).as("model requests").isNotEmpty();
        for (RecordedRequest q : c.requests()) {
            assertThat(CloudPhoneRig.historyProblems(q.body().path("messages"))).as("history sent: " + q.body())
                    .isEmpty();
        }
    }

    private static Cart cart(Call c) {
        return rig.stack.cartOf(c.sid());
    }

    @Test
    void aWholeOrderOnTheCloudProvidersWithConnectionsWarmedAtBuild() {
        Call c = call("all cloud", 3);
        assertCompleted(c, 3);
        String why = c.why();
        assertThat(c.events()).as(why).noneMatch(s -> Set.of("failover", "error", "stall", "all-failed")
                .contains(s.event().kind()));
        assertThat(cart(c).lines()).as(why).extracting(l -> l.itemId() + ":" + l.size() + ":" + l.quantity())
                .containsExactlyInAnyOrder("pepperoni_pizza:large:1", "diet_coke:medium:1");
        // the router sent the short caller turns to the cheap model and the tool results to the larger one
        assertThat(c.requests()).allSatisfy(q -> {
            boolean toolResult = q.body().path("messages").get(q.body().path("messages").size() - 1).path("role")
                    .asText().equals("tool");
            assertThat(q.body().path("model").asText()).as(q.body().toString())
                    .isEqualTo(toolResult ? CloudPhoneRig.COMPLEX_MODEL : CloudPhoneRig.SIMPLE_MODEL);
        });
        assertThat(c.kind("routing")).as("each choice is journalled").hasSize(c.requests().size());
        assertThat(c.requests()).as("all on the primary").allSatisfy(q ->
                assertThat(rig.primary.chatRequests()).contains(q));
        // no handshake on a turn: every model request came on a connection opened by the warm-up
        Set<Integer> warmed = rig.primary.requests().stream().filter(q -> q.path().endsWith("/models"))
                .map(RecordedRequest::remotePort).collect(Collectors.toSet());
        assertThat(c.requests()).as("connections warmed: " + warmed)
                .allSatisfy(q -> assertThat(warmed).contains(q.remotePort()));
        assertThat(rig.cartesia.connections()).as("one Cartesia socket, opened at build").hasSize(1);
        assertThat(rig.elevenlabs.streams()).as("ElevenLabs is not used").allSatisfy(s ->
                assertThat(s.transcript()).isBlank());
    }

    @Test
    void deepgramDroppingMidUtteranceHandsTheCallToSphinx() {
        // the call's Deepgram socket drops at its first interim result, and Deepgram stays down (503) after it
        rig.deepgram.listenFault(ListenFault.DROP);
        int before = rig.deepgram.listens().size();
        Thread down = Thread.ofVirtual().start(() -> {
            rig.deepgram.awaitListen(before, Duration.ofSeconds(20));
            rig.deepgram.listenFault(ListenFault.NONE);
            rig.deepgram.rejectUpgrades(503, null);
        });
        Call c;
        try {
            c = call("deepgram drop", 2);
        } finally {
            down.interrupt();
            rig.deepgram.listenFault(ListenFault.NONE);
            rig.deepgram.acceptUpgrades();
        }
        // while Sphinx takes over (the drop may go unnoticed until the finalize deadline), the caller hears a holding
        // filler instead of silence: never more than 1.5 s, in the failover turn as in the others
        assertCompleted(c, 2);
        String why = c.why();
        List<CloudPhoneRig.Seen> failovers = c.kind("failover");
        assertThat(failovers).as(why).singleElement().satisfies(s -> {
            assertThat(s.event().provider()).isEqualTo("deepgram");
            assertThat(s.event().detail()).startsWith("to sphinx");
        });
        RecordedListen listen = rig.deepgram.listens().get(before);
        long droppedAt = listen.sent().stream().filter(m -> m.type().equals("Results") && !m.isFinal()).findFirst().orElseThrow()
                .sentAt();
        System.out.printf("[cloud phone] deepgram drop: failover to sphinx %d ms after the drop%n",
                (failovers.getFirst().nanos() - droppedAt) / 1_000_000);
        // what the model was told the caller said came from Sphinx, not from the fake Deepgram's script
        List<String> userTurns = new java.util.ArrayList<>();
        c.requests().getLast().body().path("messages").forEach(m -> {
            if (m.path("role").asText().equals("user")) {
                userTurns.add(m.path("content").asText());
            }
        });
        System.out.println("[cloud phone] deepgram drop: the model heard " + userTurns);
        assertThat(userTurns).as(why).hasSize(2).noneMatch(CloudPhoneRig.HEARD::contains);
    }

    @Test
    void thePrimaryModelStallingMidAnswerFailsOverToTheSecondBaseUrlWithAFiller() {
        // the answer to the pizza's tool result stalls in its second sentence, right after its first word
        int frames = 1 + tokens("Sure, one large pepperoni pizza is on your order. Anything");
        rig.primaryFault.set(scripted -> scripted.text().equals(CloudPhoneRig.PIZZA_ANSWER)
                ? Optional.of(scripted.with(new FakeReply.StreamFault.Stall(frames, Duration.ofSeconds(5), false)))
                : Optional.empty());
        Call c;
        try {
            c = call("llm stall", 2);
        } finally {
            rig.primaryFault.set(null);
        }
        assertCompleted(c, 2);
        String why = c.why();
        List<CloudPhoneRig.Seen> failovers = c.kind("failover");
        assertThat(failovers).as(why).singleElement().satisfies(s ->
                assertThat(s.event().provider()).startsWith("openai-primary"));
        assertThat(c.kind("stall")).as(why).isNotEmpty();
        RecordedRequest stalled = c.requests().stream().filter(q -> rig.primary.chatRequests().contains(q))
                .filter(q -> !q.completed()).findFirst().orElseThrow(() -> new AssertionError("no stalled request " + why));
        List<RecordedRequest> second = c.requests().stream().filter(q -> rig.secondary.chatRequests().contains(q))
                .toList();
        assertThat(second).as("the same step went to the second base URL: " + why).isNotEmpty();
        assertThat(second.getFirst().body().path("messages")).isEqualTo(stalled.body().path("messages"));
        assertThat(second).allSatisfy(q -> assertThat(q.completed()).isTrue());
        String spoken = String.join(" ", rig.cartesia.connections().getFirst().contexts().stream()
                .map(id -> rig.cartesia.connections().getFirst().transcript(id)).toList());
        assertThat(spoken).as("the filler was spoken").contains("Sorry, one moment.");
        long failedAt = failovers.getFirst().nanos();
        long lastFrame = stalled.textFrameNanos().stream().filter(t -> t < failedAt).reduce((x, y) -> y).orElseThrow();
        System.out.printf("[cloud phone] llm stall: failover to the second base URL %d ms after the last token%n",
                (failovers.getFirst().nanos() - lastFrame) / 1_000_000);
        assertThat(cart(c).lines()).as(why).extracting(l -> l.itemId()).contains("pepperoni_pizza");
    }

    @Test
    void cartesiaStallingMidAudioFailsOverToElevenLabs() {
        long before = elevenLabsAnswers();
        rig.onFirstRequest.set(() -> rig.cartesia.fault(CartesiaFault.STALL));
        Call c;
        try {
            c = call("cartesia stall", 2);
        } finally {
            rig.onFirstRequest.set(null);
            rig.cartesia.fault(CartesiaFault.NONE);
        }
        assertCompleted(c, 2);
        String why = c.why();
        List<CloudPhoneRig.Seen> failovers = c.kind("failover");
        assertThat(failovers).as(why).singleElement().satisfies(s -> {
            assertThat(s.event().provider()).isEqualTo("cartesia");
            assertThat(s.event().detail()).startsWith("to elevenlabs");
        });
        List<CloudPhoneRig.Seen> stalls = c.kind("stall");
        assertThat(stalls).as(why).isNotEmpty();
        assertThat(elevenLabsAnswers()).as("ElevenLabs spoke the rest of the answer: " + why).isEqualTo(before + 1);
        System.out.printf("[cloud phone] cartesia stall: %s; failover %d ms after the stall was reported%n",
                stalls.getFirst().event().detail(), (failovers.getFirst().nanos() - stalls.getFirst().nanos()) / 1_000_000);
    }

    @Test
    void whenEveryModelFailsTheCallerHearsAnApologyAndIsHandedToAPerson() {
        rig.allModelsDown = true;
        Call c;
        try {
            c = call("all models down", 1);
        } finally {
            rig.allModelsDown = false;
        }
        String why = c.why();
        assertThat(c.result().errors()).as(why).isEmpty();
        assertThat(c.kind("all-failed")).as(why).hasSize(1);
        assertThat(c.result().turns().getFirst().agentAudio()).as("the apology is heard: " + why)
                .isGreaterThan(Duration.ofSeconds(1));
        assertThat(CloudPhoneSilence.longest(c.silences())).as(why).isLessThanOrEqualTo(MAX_SILENCE);
        List<FakeTwilioApi.CallUpdate> updates = phone.twilio().requests().stream()
                .filter(q -> q.path().endsWith("/Calls/" + c.sid() + ".json") && q.status() == 200)
                .map(q -> new FakeTwilioApi.CallUpdate(c.sid(), q.form())).toList();
        assertThat(updates).as("a transfer to the handoff number: " + why).singleElement().satisfies(u ->
                assertThat(u.twiml()).hasValueSatisfying(t -> assertThat(t).contains("<Dial", PhoneServer.HANDOFF_NUMBER)));
        assertThat(c.result().serverClosed()).as(why).isTrue();
    }

    private static long elevenLabsAnswers() {
        return rig.elevenlabs.streams().stream().filter(s -> s.transcript().contains("Anything else?")).count();
    }

    /** Token count as the fake OpenAI server splits text (words with their leading space, punctuation marks). */
    private static int tokens(String text) {
        var m = java.util.regex.Pattern.compile("\\s*[\\p{L}\\p{N}']+|\\s*[^\\s\\p{L}\\p{N}']|\\s+$").matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
