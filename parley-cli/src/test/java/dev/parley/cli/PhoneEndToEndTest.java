package dev.parley.cli;

import static dev.parley.cli.PhoneServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.examples.ordering.Cart;
import dev.parley.spi.ChatMessage;
import dev.parley.testkit.TwilioCallerResult;
import dev.parley.testkit.TwilioCallerSimulator;
import dev.parley.testkit.TwilioCallerStart;
import dev.parley.twilio.testing.FakeTwilioApi;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Phone calls end to end over real loopback HTTP and WebSockets: a {@link TwilioCallerSimulator} places signed calls
 * to a {@link dev.parley.server.ParleyServer} (signatures validated, REST call control on a {@link FakeTwilioApi})
 * and streams FreeTTS caller speech as 8 kHz μ-law in real time; the agent is the embedded offline stack (Silero VAD,
 * Sphinx4, the order engine and its tools, FreeTTS). Two calls run at a time: the stack is real time and CPU-bound.
 */
@Execution(ExecutionMode.CONCURRENT)
class PhoneEndToEndTest {
    private static final int PHONE_RATE = 8000;
    private static final String WARM_UP = "a large supreme pizza";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Map<String, List<AudioFrame>> SPEECH = new ConcurrentHashMap<>();
    private static OfflineOrdering stack;
    private static PhoneLlmRecorder llm;

    private PhoneServer phone;

    @BeforeAll
    static void loadModels(@TempDir Path out) throws Exception {
        Parley.quietLogging();
        stack = OfflineOrdering.create(2, engine -> llm = new PhoneLlmRecorder(engine));
        List.of(WARM_UP, "what comes on the supreme pizza", "let me talk to a person").forEach(PhoneEndToEndTest::speech);
        wholeOrder().lines().forEach(line -> speech(line.text()));
        // one short local call at 8 kHz first, so no phone call pays for class loading and a cold JIT: on a cold JVM
        // the first call's turn gap was ~2.9 s and once "let me talk to a person" was answered as "what read"
        new LocalCall(stack.agent(), PHONE_RATE, 4, new PrintStream(OutputStream.nullOutputStream()), out)
                .run("phone-warm-up", List.of(LocalCall.Turn.of("warm-up", speech(WARM_UP))));
    }

    private static ScriptedOrders.Order wholeOrder() {
        return ScriptedOrders.all().stream().filter(o -> o.name().equals("multi-item sentence")).findFirst()
                .orElseThrow();
    }

    @BeforeEach
    void startServer() {
        phone = PhoneServer.start(stack.agent());
    }

    @AfterEach
    void stopServer() {
        phone.close();
    }

    private static List<AudioFrame> speech(String text) {
        return SPEECH.computeIfAbsent(text, t -> CallerVoice.speak(t, PHONE_RATE));
    }

    private String describe(String sid, TwilioCallerResult r) {
        return "errors " + r.errors() + ", turns " + r.turns() + "\nmodel steps:\n" + llm.describe(sid);
    }

    /** After every call: the slot is released and no thread of the call is left. */
    private void assertReleased(String sid) {
        await("active calls back to 0", () -> phone.server().activeCalls() == 0, WAIT);
        await("no thread of call " + sid + " left", () -> PhoneThreads.named("call-" + sid).isEmpty(), WAIT);
    }

    private static void print(String test, String sid, TwilioCallerResult r) {
        List<String> heard = llm.steps(sid).stream().map(s -> s.request().messages())
                .filter(m -> !m.isEmpty() && m.getLast() instanceof ChatMessage.User).map(m -> m.getLast().toString())
                .toList();
        System.out.printf("[phone e2e] %s: recognised %s%n", test, heard);
        System.out.printf("[phone e2e] %s: greeting after %s ms, turn gaps %s ms, barge-in reactions %s ms, clears %d,"
                        + " call %d ms, max send lateness %d ms%n", test,
                r.firstAgentAudio().map(Duration::toMillis).orElse(-1L),
                r.turns().stream().map(t -> t.gap().map(Duration::toMillis).orElse(-1L)).toList(),
                r.turns().stream().flatMap(t -> t.bargeInReaction().stream()).map(Duration::toMillis).toList(),
                r.clears(), r.callDuration().toMillis(), r.maxSendLateness().toMillis());
    }

    @Test
    void aWholeOrderIsTakenByPhone() {
        ScriptedOrders.Order order = wholeOrder();
        String sid = phone.newCall();
        TwilioCallerSimulator.Builder caller = phone.caller(sid);
        order.lines().forEach(line -> caller.say(speech(line.text())));

        TwilioCallerResult r = caller.build().run();
        print("whole order", sid, r);

        String why = describe(sid, r);
        assertThat(r.outcome()).as(why).isEqualTo(TwilioCallerResult.Outcome.CONNECTED);
        assertThat(r.errors()).as(why).isEmpty();
        assertThat(r.firstAgentAudio()).as("the greeting is heard").isPresent();
        assertThat(r.turns()).as(why).hasSize(order.lines().size())
                .allSatisfy(t -> assertThat(t.gap()).as("each turn is answered").isPresent());
        Cart cart = stack.cartOf(sid);
        assertThat(cart.confirmed()).as(why).isTrue();
        assertThat(cart.lines().stream().map(l -> new ScriptedOrders.Expected(l.itemId(), l.size(), l.quantity(),
                l.modifierIds().stream().sorted().toList())).toList())
                .as(why).containsExactlyInAnyOrderElementsOf(order.cart());
        assertThat(r.marksEchoed()).as("playback marks went back to the server").isNotEmpty();
        assertReleased(sid);
        assertThat(phone.metrics()).contains("parley_calls_total 1.0", "parley_calls_failed_total 0.0");
    }

    @Test
    void aBargeInClearsPlaybackAndKeepsOnlyTheHeardTextInTheHistory() {
        String sid = phone.newCall();
        TwilioCallerResult r = phone.caller(sid)
                .say(speech("what comes on the supreme pizza"))
                .say(speech("a large supreme pizza"), TwilioCallerStart.bargeIn(Duration.ofMillis(700)))
                .build().run();
        print("barge-in", sid, r);

        String why = describe(sid, r);
        assertThat(r.errors()).as(why).isEmpty();
        assertThat(r.clears()).as(why).isGreaterThanOrEqualTo(1);
        TwilioCallerResult.Turn bargeIn = r.turns().get(1);
        assertThat(bargeIn.interrupting()).as(why).isTrue();
        assertThat(bargeIn.bargeInReaction()).as(why).isPresent();
        assertThat(bargeIn.bargeInReaction().orElseThrow()).as("barge-in reaction").isLessThan(Duration.ofSeconds(2));

        // the first model step after the barge-in sees the cut reply as interrupted, holding only what was heard
        List<PhoneLlmRecorder.Step> steps = llm.steps(sid);
        int after = -1;
        for (int i = 0; i < steps.size() && after < 0; i++) {
            if (!steps.get(i).interrupted().isEmpty()) {
                after = i;
            }
        }
        assertThat(after).as("a step sees an interrupted reply: " + why).isPositive();
        String heard = steps.get(after).interrupted().getLast().text().strip();
        String full = steps.subList(0, after).reversed().stream().map(s -> s.text().strip())
                .filter(t -> !t.isEmpty()).findFirst().orElseThrow();
        assertThat(heard).as("heard text of \"%s\"", full).isNotEmpty();
        assertThat(full).as("the caller heard a strict prefix of the reply").startsWith(heard);
        assertThat(heard.length()).as("heard \"%s\" of \"%s\"", heard, full).isLessThan(full.length());
        System.out.printf("[phone e2e] barge-in: heard \"%s\" of \"%s\"%n", heard, full);
        // the words said over the answer were understood and acted on
        assertThat(stack.cartOf(sid).lines()).as(why).singleElement().satisfies(l -> {
            assertThat(l.itemId()).isEqualTo("supreme_pizza");
            assertThat(l.size()).isEqualTo("large");
        });
        assertReleased(sid);
    }

    @Test
    void keypadDigitsReadTheOrderBackAndReachAPerson() {
        String sid = phone.newCall();
        TwilioCallerResult r = phone.caller(sid)
                .dtmf("9")
                .dtmf("0")
                .build().run();
        print("dtmf", sid, r);

        String why = describe(sid, r);
        assertThat(r.errors()).as(why).isEmpty();
        assertThat(r.dtmfSent()).isEqualTo("90");
        List<PhoneLlmRecorder.Step> steps = llm.steps(sid);
        assertThat(steps).as(why).anySatisfy(s -> {
            assertThat(s.request().messages().getLast()).isEqualTo(new ChatMessage.User("Caller pressed keys: 9"));
            assertThat(s.toolCalls()).extracting(t -> t.name()).containsExactly("view_cart");
        });
        assertThat(steps).as(why).anySatisfy(s -> {
            assertThat(s.request().messages().getLast()).isEqualTo(new ChatMessage.User("Caller pressed keys: 0"));
            assertThat(s.toolCalls()).extracting(t -> t.name()).containsExactly("transfer_to_human");
        });
        assertTransferred(sid, r, why);
    }

    @Test
    void aCallerHangingUpMidReplyReleasesTheCallAndItsThreads() throws Exception {
        String sid = phone.newCall();
        TwilioCallerSimulator sim = phone.caller(sid)
                .say(speech("what comes on the supreme pizza"))
                .hangUp(TwilioCallerStart.bargeIn(Duration.ofMillis(600)))
                .build();
        CompletableFuture<TwilioCallerResult> call = new CompletableFuture<>();
        Thread.ofVirtual().name("phone-caller").start(() -> call.complete(sim.run()));
        await("the call is live", () -> phone.server().activeCalls() == 1, WAIT);
        assertThat(PhoneThreads.named("call-" + sid)).as("the call's threads show in a thread dump").isNotEmpty();
        TwilioCallerResult r = call.get(PhoneServer.MAX_CALL.toSeconds(), TimeUnit.SECONDS);
        print("hang-up", sid, r);

        String why = describe(sid, r);
        // no error: the hang-up started while the agent was audibly speaking, not at a timeout
        assertThat(r.errors()).as(why).isEmpty();
        assertThat(r.hungUp()).as(why).isTrue();
        assertThat(r.turns()).hasSize(1);
        Duration answerAudio = r.turns().getFirst().agentAudio();
        assertThat(answerAudio).as("the agent was speaking its answer").isGreaterThanOrEqualTo(Duration.ofMillis(600));
        long t0 = System.nanoTime();
        assertReleased(sid);
        System.out.printf("[phone e2e] hang-up: call and threads released %d ms after the call ended%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(phone.metrics()).contains("parley_calls_active 0.0", "parley_calls_failed_total 0.0");
        assertThat(phone.twilio().requests()).as("no REST hang-up of a call the caller ended").isEmpty();
    }

    @Test
    void askingForAPersonDialsTheHandoffNumber() {
        String sid = phone.newCall();
        TwilioCallerResult r = phone.caller(sid)
                .say(speech("let me talk to a person"))
                .build().run();
        print("handoff", sid, r);

        String why = describe(sid, r);
        assertThat(r.errors()).as(why).isEmpty();
        assertTransferred(sid, r, why);
        assertThat(stack.cartOf(sid).lines()).isEmpty();
    }

    private void assertTransferred(String sid, TwilioCallerResult r, String why) {
        List<FakeTwilioApi.CallUpdate> updates = phone.twilio().requests().stream()
                .filter(q -> q.path().endsWith("/Calls/" + sid + ".json") && q.status() == 200)
                .map(q -> new FakeTwilioApi.CallUpdate(sid, q.form())).toList();
        assertThat(updates).as(why).singleElement().satisfies(u -> {
            assertThat(u.twiml()).as("a <Dial> to the handoff number").hasValueSatisfying(twiml ->
                    assertThat(twiml).contains("<Dial", PhoneServer.HANDOFF_NUMBER));
            assertThat(u.status()).isEmpty();
        });
        assertThat(phone.twilio().call(sid).orElseThrow().twiml()).contains(PhoneServer.HANDOFF_NUMBER);
        assertThat(r.serverClosed()).as("the server ends the stream after the transfer: " + why).isTrue();
        assertReleased(sid);
    }

    @Test
    void badSignaturesAreRefusedAndNoCallStarts() {
        String webhookSid = phone.newCall();
        TwilioCallerResult webhook = phone.caller(webhookSid).say(speech("a large supreme pizza"))
                .webhookSignature(TwilioCallerSimulator.Signing.WRONG_TOKEN)
                .build().run();
        assertThat(webhook.outcome()).isEqualTo(TwilioCallerResult.Outcome.WEBHOOK_FAILED);
        assertThat(webhook.webhookStatus()).isEqualTo(403);

        String streamSid = phone.newCall();
        TwilioCallerResult stream = phone.caller(streamSid).say(speech("a large supreme pizza"))
                .streamSignature(TwilioCallerSimulator.Signing.WRONG_TOKEN)
                .build().run();
        assertThat(stream.outcome()).isEqualTo(TwilioCallerResult.Outcome.STREAM_FAILED);
        assertThat(stream.detail()).contains("403");

        assertThat(phone.server().activeCalls()).isZero();
        assertThat(llm.steps(webhookSid)).isEmpty();
        assertThat(llm.steps(streamSid)).isEmpty();
        assertThat(phone.twilio().requests()).isEmpty();
        assertThat(phone.metrics()).contains("parley_calls_total 0.0",
                "parley_rejected_total{reason=\"signature\",where=\"webhook\"} 1.0",
                "parley_rejected_total{reason=\"signature\",where=\"stream\"} 1.0");
    }
}
