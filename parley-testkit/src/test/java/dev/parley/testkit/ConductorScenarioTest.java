package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.CallEvent;
import dev.parley.CallSession;
import dev.parley.VoiceAgent;
import dev.parley.audio.EnergyVad;
import dev.parley.machine.Journal;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.Tool;
import dev.parley.spi.ToolCall;
import dev.parley.spi.ToolDefinition;
import dev.parley.spi.ToolPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scripted calls against a real conductor: real threads, fake providers with latencies, an in-memory transport that
 * plays audio in real time and echoes marks like Twilio.
 */
class ConductorScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final CallRecorder events = new CallRecorder();
    private InMemoryTransport transport;
    private CallSession session;

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private VoiceAgent.Builder agent(FakeStt stt, FakeLlm llm) {
        return VoiceAgent.builder()
                .stt(stt)
                .llm(llm)
                .tts(FakeTts.builder().charDuration(ms(40)).timeToFirstByte(ms(20)).build())
                .vad(EnergyVad.builder().minSpeech(ms(60)).minSilence(ms(250)).build())
                .prompts(p -> p.withIdle(Duration.ofSeconds(30), List.of("Are you still there?"), "Goodbye!"));
    }

    private void start(VoiceAgent agent) {
        transport = InMemoryTransport.builder().sampleRate(8000).build();
        session = agent.call(transport, events);
        transport.silence(ms(300)); // the energy VAD learns the line's noise floor
    }

    @AfterEach
    void callEndsCleanlyAndReplays() throws InterruptedException {
        if (session == null) {
            return;
        }
        transport.hangUpFromCaller();
        assertThat(session.awaitEnd(WAIT)).as("call ended").isTrue();
        assertThat(session.liveThreads()).as("threads of the call still alive").isZero();
        Journal.ReplayResult replay = Journal.replay(session.journal());
        assertThat(replay.identical()).as(replay.difference()).isTrue();
    }

    @Test
    void plainTurn() {
        start(agent(FakeStt.builder().utterances("two large pepperoni pizzas").build(),
                FakeLlm.builder().replies("Two large pepperoni pizzas. Anything else?").build()).build());
        transport.speak(ms(900), ms(400));
        CallEvent.UserTurn turn = events.await(CallEvent.UserTurn.class, WAIT);
        assertThat(turn.text()).isEqualTo("two large pepperoni pizzas");
        events.await(CallEvent.AgentFinishedSpeaking.class, WAIT);
        assertThat(session.history()).containsExactly(new ChatMessage.User("two large pepperoni pizzas"),
                ChatMessage.Assistant.text("Two large pepperoni pizzas. Anything else?"));
        assertThat(transport.sinkLog()).noneMatch(op -> op instanceof SinkOp.Clear);
        assertThat(transport.playedDuration()).isGreaterThan(ms(1000));
    }

    @Test
    void bargeInMidSentenceClearsFirstAndKeepsOnlyHeardWords() {
        String reply = "Our large supreme pizza comes with pepperoni, sausage, green peppers, onions, olives and "
                + "mushrooms, and today it costs fourteen dollars.";
        start(agent(FakeStt.builder().utterances("what comes on the supreme", "just a medium then").build(),
                FakeLlm.builder().replies(reply, "A medium supreme it is.").build()).build());
        transport.speak(ms(900), ms(400));
        events.await(CallEvent.AgentSpoke.class, WAIT);
        transport.silence(ms(1200)); // listen to a bit more than a second of the answer
        transport.speak(ms(700), ms(400));
        CallEvent.AgentInterrupted cut = events.await(CallEvent.AgentInterrupted.class, WAIT);
        SinkOp.Clear clear = transport.awaitClear(WAIT);
        assertThat(clear).isNotNull();
        events.await(e -> e instanceof CallEvent.UserTurn u && u.text().equals("just a medium then"), 1, WAIT);
        events.await(CallEvent.AgentFinishedSpeaking.class, WAIT);
        ChatMessage.Assistant heard = (ChatMessage.Assistant) session.history().get(1);
        assertThat(heard.interrupted()).isTrue();
        assertThat(heard.text()).isEqualTo(cut.heardText());
        assertThat(reply).startsWith(heard.text());
        assertThat(heard.text().length()).isBetween(10, reply.length() - 20);
        assertThat(session.history().get(2)).isEqualTo(new ChatMessage.User("just a medium then"));
    }

    @Test
    void toolCallWithFillerAndBothBargeInPolicies() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        AtomicBoolean lookupInterrupted = new AtomicBoolean();
        AtomicBoolean orderPlaced = new AtomicBoolean();
        Tool lookup = new Tool(new ToolDefinition("check_stock", "Checks stock", "{\"type\":\"object\"}",
                ToolPolicy.CANCEL_ON_BARGE_IN, Duration.ofSeconds(20)), (args, ctx) -> {
            slowStarted.countDown();
            try {
                new CountDownLatch(1).await(); // runs until cancelled
                return "{\"inStock\":true}";
            } catch (InterruptedException e) {
                lookupInterrupted.set(true);
                throw e;
            }
        });
        CountDownLatch placeGo = new CountDownLatch(1);
        Tool place = new Tool(new ToolDefinition("place_order", "Places the order", "{\"type\":\"object\"}",
                ToolPolicy.RUN_TO_COMPLETION, Duration.ofSeconds(20)), (args, ctx) -> {
            placeGo.await(); // released by the test after the barge-in
            orderPlaced.set(true);
            return "{\"order\":\"A-17\"}";
        });
        FakeLlm llm = FakeLlm.builder().reply(
                LlmStep.toolCalls(new ToolCall("call_1", "check_stock", "{}"), new ToolCall("call_2", "place_order", "{}")),
                LlmStep.text("Your order is placed."),
                LlmStep.text("Sure, what would you like to change?")).build();
        start(agent(FakeStt.builder().utterances("place my order", "wait change it").build(), llm)
                .tools(lookup, place)
                .prompts(p -> p.withFiller(ms(400), List.of("One moment while I check.")))
                .build());
        transport.speak(ms(700), ms(400));
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CallEvent.AgentSpoke filler = events.await(CallEvent.AgentSpoke.class, WAIT);
        assertThat(filler.text()).isEqualTo("One moment while I check.");
        transport.speak(ms(700), ms(400)); // barge in while both tools run
        events.await(CallEvent.AgentInterrupted.class, WAIT);
        placeGo.countDown();
        events.await(e -> e instanceof CallEvent.UserTurn u && u.text().equals("wait change it"), 1, WAIT);
        events.await(e -> e instanceof CallEvent.ReplyStarted r && r.replyId() > 1, 1, WAIT);
        transport.silence(ms(400));
        assertThat(lookupInterrupted).isTrue();
        assertThat(orderPlaced).isTrue();
        List<ChatMessage> h = session.history();
        assertThat(h).contains(new ChatMessage.ToolResult("call_2", "place_order", "{\"order\":\"A-17\"}"));
        assertThat(h).anyMatch(m -> m instanceof ChatMessage.ToolResult r && r.callId().equals("call_1")
                && r.content().contains("cancelled"));
        // every tool call answered, and the second model request saw both results
        assertThat(llm.awaitRequests(2, WAIT).get(1).messages())
                .filteredOn(m -> m instanceof ChatMessage.ToolResult).hasSize(2);
    }

    @Test
    void speculativeReplyKeptAndOneDiscarded() {
        FakeLlm llm = FakeLlm.builder().replies("One coke.", "A large coke.", "Anything else?").build();
        FakeStt stt = FakeStt.builder()
                .utterance(Utterance.finalOnly("a coke").withInterim(ms(100), "a coke").withInterim(ms(200), "a coke"))
                .utterance(Utterance.finalOnly("a large coke").withInterim(ms(100), "a large")
                        .withInterim(ms(200), "a large"))
                .finalLatency(ms(150)).build();
        start(agent(stt, llm).build());
        transport.speak(ms(600), ms(500));
        events.await(CallEvent.SpeculationKept.class, WAIT);
        events.await(CallEvent.AgentFinishedSpeaking.class, WAIT);
        transport.speak(ms(600), ms(500));
        events.await(CallEvent.SpeculationDiscarded.class, WAIT);
        events.await(CallEvent.AgentFinishedSpeaking.class, 2, WAIT);
        // the discarded speculation was never heard: the second answer came from the final transcript
        assertThat(session.history()).containsExactly(new ChatMessage.User("a coke"), ChatMessage.Assistant.text("One coke."),
                new ChatMessage.User("a large coke"), ChatMessage.Assistant.text("Anything else?"));
        assertThat(llm.requests().get(1).messages().getLast()).isEqualTo(new ChatMessage.User("a large"));
        assertThat(llm.requests().get(2).messages().getLast()).isEqualTo(new ChatMessage.User("a large coke"));
    }

    @Test
    void falseInterruptionResumesTheReply() {
        String reply = "We have small, medium and large pizzas, and every one of them is made fresh to order.";
        FakeStt stt = FakeStt.builder().utterances("what sizes do you have").utterance(Utterance.noise()).build();
        start(agent(stt, FakeLlm.builder().replies(reply).build())
                .interruptions(i -> i.falseInterruption(true, ms(800))).build());
        transport.speak(ms(900), ms(400));
        events.await(CallEvent.AgentSpoke.class, WAIT);
        transport.silence(ms(900));
        transport.speak(ms(250), ms(400)); // a cough: no words
        events.await(CallEvent.AgentInterrupted.class, WAIT);
        CallEvent.InterruptionResumed resumed = events.await(CallEvent.InterruptionResumed.class, WAIT);
        assertThat(reply).endsWith(resumed.remainingText());
        events.await(CallEvent.AgentFinishedSpeaking.class, WAIT);
        assertThat(session.history()).containsExactly(new ChatMessage.User("what sizes do you have"),
                ChatMessage.Assistant.text(reply));
    }

    @Test
    void backchannelIsIgnored() {
        String reply = "We have coke, diet coke, sprite, lemonade, iced tea and bottled water, all in three sizes.";
        FakeStt stt = FakeStt.builder().utterances("what drinks do you have", "uh huh").build();
        start(agent(stt, FakeLlm.builder().replies(reply).build()).interruptions(i -> i.minWords(1)).build());
        transport.speak(ms(900), ms(400));
        events.await(CallEvent.AgentSpoke.class, WAIT);
        transport.silence(ms(800));
        transport.speak(ms(400), ms(400));
        events.await(CallEvent.InterruptionIgnored.class, WAIT);
        events.await(CallEvent.AgentFinishedSpeaking.class, WAIT);
        assertThat(transport.sinkLog()).noneMatch(op -> op instanceof SinkOp.Clear);
        assertThat(session.history()).containsExactly(new ChatMessage.User("what drinks do you have"),
                ChatMessage.Assistant.text(reply));
    }

    @Test
    void idlePromptThenPoliteHangUp() throws InterruptedException {
        start(agent(FakeStt.builder().build(), FakeLlm.builder().build())
                .prompts(p -> p.withIdle(ms(700), List.of("Are you still there?"), "Goodbye for now!"))
                .build());
        events.await(e -> e instanceof CallEvent.AgentSpoke s && s.text().equals("Are you still there?"), 1, WAIT);
        events.await(e -> e instanceof CallEvent.AgentSpoke s && s.text().equals("Goodbye for now!"), 1, WAIT);
        transport.awaitAgentHangUp(WAIT);
        assertThat(session.awaitEnd(WAIT)).isTrue();
        assertThat(events.all(CallEvent.CallEnded.class)).singleElement()
                .isEqualTo(new CallEvent.CallEnded("no response"));
    }

    @Test
    void aScriptedTimelineOfTwoTurns() {
        FakeLlm llm = FakeLlm.builder().replies("Two large pepperoni pizzas. Anything else?", "Okay, that's all.").build();
        start(agent(FakeStt.builder().utterances("two large pepperoni pizzas", "no that is all").build(), llm).build());
        CallScript.on(transport, events)
                .say(ms(900))
                .until(CallEvent.AgentFinishedSpeaking.class, 1)
                .silence(ms(300))
                .say(ms(700))
                .until(CallEvent.AgentFinishedSpeaking.class, 2)
                .run();
        assertThat(session.history()).containsExactly(new ChatMessage.User("two large pepperoni pizzas"),
                ChatMessage.Assistant.text("Two large pepperoni pizzas. Anything else?"),
                new ChatMessage.User("no that is all"), ChatMessage.Assistant.text("Okay, that's all."));
    }

    @Test
    void dtmfReachesTheAgent() {
        FakeLlm llm = FakeLlm.builder().replies("You pressed one.").build();
        start(agent(FakeStt.builder().build(), llm).build());
        transport.pressKey("1");
        transport.pressKey("#");
        events.await(CallEvent.AgentFinishedSpeaking.class, WAIT);
        assertThat(llm.requests().getFirst().messages().getLast())
                .isEqualTo(new ChatMessage.User("Caller pressed keys: 1 #"));
    }
}
