package dev.parley.bench;

import dev.parley.CallPolicy;
import dev.parley.Interruptions;
import dev.parley.Prompts;
import dev.parley.TurnTaking;
import dev.parley.machine.CallMachine;
import dev.parley.machine.Signal;
import dev.parley.machine.Signal.ReplyStatus;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One realistic phone call (a pizza order: 176 signals over a minute and a half), acted out once against a
 * {@link CallMachine} in virtual time and kept as (signal, arrival time) pairs, so a benchmark can replay exactly the
 * signals the machine saw, timers included, without the recording's bookkeeping.
 *
 * <p>The call (default turn-taking and interruption rules, plus a greeting) has plain turns with growing interims and
 * kept speculation, one discarded speculation, a barge-in, a backchannel and a cough over the agent that both cut it
 * and prove false interruptions (it resumes), a tool call long enough for a filler, a key press and a hang-up
 * requested by the agent. Every reply chunk carries word timings, as an aligned TTS provides.
 */
public final class RecordedCall {
    private final CallPolicy policy;
    private final List<Signal> signals;
    private final List<Instant> times;
    private final List<String> journal;

    private RecordedCall(CallPolicy policy, List<Signal> signals, List<Instant> times, List<String> journal) {
        this.policy = policy;
        this.signals = List.copyOf(signals);
        this.times = List.copyOf(times);
        this.journal = List.copyOf(journal);
    }

    /** The policy the call ran with (default turn-taking and interruptions, plus a greeting). */
    public CallPolicy policy() {
        return policy;
    }

    /** The signals in arrival order. */
    public List<Signal> signals() {
        return signals;
    }

    /** When each signal arrived (parallel to {@link #signals()}). */
    public List<Instant> times() {
        return times;
    }

    /** The journal written while recording, header line first. */
    public List<String> journal() {
        return journal;
    }

    /** Records the call. */
    public static RecordedCall record() {
        CallPolicy policy = new CallPolicy(TurnTaking.defaults(), Interruptions.defaults(),
                Prompts.defaults().withGreeting("Thanks for calling Tony's Pizza! What can I get for you today?"));
        Recorder recorder = new Recorder(policy);
        new Script(recorder).play();
        return new RecordedCall(policy, recorder.signals, recorder.times, recorder.journal);
    }

    /** The call's script, acted out against the driver. */
    private static final class Script {
        final Recorder d;
        /** Audio length of each chunk written, by mark name. */
        final Map<String, Duration> audio = new HashMap<>();

        Script(Recorder d) {
            this.d = d;
        }

        void play() {
            d.send(new Signal.CallStarted());
            speak("Thanks for calling Tony's Pizza!", "What can I get for you today?"); // the greeting
            d.advance(ms(900));

            callerSays("hi can i get two large pepperoni pizzas");
            speak("Two large pepperoni pizzas, got it.", "Would you like anything else with that?");
            d.advance(ms(700));

            // barge-in: the caller cuts a long answer short, then orders
            callerSays("what comes on the supreme");
            int r = reply("The supreme has pepperoni, sausage, green peppers, onions, black olives and mushrooms.",
                    "It's one of our most popular pizzas.");
            d.advance(ms(1800));
            d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
            d.advance(ms(120));
            d.send(new Signal.ReplyFinished(r, ReplyStatus.INTERRUPTED, List.of(), ""));
            callerContinues("okay add a medium supreme too");
            speak("Sure, one medium supreme added.", "Anything to drink?");
            d.advance(ms(600));

            // a backchannel over the agent cuts it (default policy: voice alone interrupts); it resumes
            callerSays("what drinks do you have");
            r = reply("We have coke, diet coke, sprite, lemonade and iced tea.", "All in two liter bottles.");
            d.advance(ms(1500));
            d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
            d.advance(ms(100));
            d.send(new Signal.ReplyFinished(r, ReplyStatus.INTERRUPTED, List.of(), ""));
            d.advance(ms(100));
            d.send(new Signal.TranscriptInterim("uh huh"));
            d.advance(ms(200));
            d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(400)));
            d.advance(ms(150));
            d.send(new Signal.TranscriptFinal("uh-huh", true));
            d.advance(ms(50));
            speak(d.lastStart().fixedText());
            d.advance(ms(800));

            // a tool slow enough for a filler
            callerSays("add a two liter coke and a garlic bread");
            r = d.lastStart().replyId();
            d.send(new Signal.ToolStarted(r, "call_1", "add_items"));
            d.advance(ms(1300));
            d.send(new Signal.ToolFinished(r, "call_1", "add_items", Signal.ToolOutcome.OK));
            chunk(r, 0, "One moment while I check.");
            chunk(r, 1, "I've added a two liter coke and a garlic bread.");
            ToolCall call = new ToolCall("call_1", "add_items", "{\"items\":[\"coke 2l\",\"garlic bread\"]}");
            d.send(new Signal.ReplyFinished(r, ReplyStatus.COMPLETED, List.of(
                    new ChatMessage.Assistant("", List.of(call), false),
                    new ChatMessage.ToolResult("call_1", "add_items", "{\"ok\":true,\"lines\":4}")), ""));
            played(r, 2);
            d.advance(ms(700));

            // a cough cuts the agent, which then resumes
            callerSays("how much is that");
            r = reply("Your total comes to $38.47 before tax, and delivery is free over thirty dollars.");
            d.advance(ms(1200));
            d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
            d.advance(ms(100));
            d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(150)));
            d.send(new Signal.ReplyFinished(r, ReplyStatus.INTERRUPTED, List.of(), ""));
            d.advance(ms(1600));
            speak(d.lastStart().fixedText());
            d.advance(ms(500));

            // the final differs from the stable interims: the speculative reply is discarded and replaced
            d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
            d.advance(ms(300));
            d.send(new Signal.TranscriptInterim("and a side"));
            d.advance(ms(250));
            d.send(new Signal.TranscriptInterim("and a side"));
            d.advance(ms(100));
            d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(650)));
            d.advance(ms(200));
            d.send(new Signal.TranscriptFinal("and a side of ranch", true));
            d.advance(ms(400)); // the turn ends after 500 ms of silence: the speculation is discarded then
            d.send(new Signal.ReplyFinished(d.lastStart().replyId(), ReplyStatus.INTERRUPTED, List.of(), ""));
            speak("One side of ranch, no problem.");
            d.advance(ms(900));

            callerSays("actually can you make the coke a diet coke instead");
            speak("Of course, I've switched the coke to a diet coke.", "Your new total is $38.47 before tax.");
            d.advance(ms(700));

            callerSays("can i pay by card when it arrives");
            speak("Yes, the driver takes all major cards.", "Press one to confirm the order, or two to change it.");
            d.advance(ms(1500));
            d.send(new Signal.DtmfPressed("1"));
            d.advance(ms(1600));
            speak("Great, your order is confirmed.", "It will arrive in about thirty five minutes.");
            d.advance(ms(600));

            callerSays("thats all thanks bye");
            r = d.lastStart().replyId();
            d.send(new Signal.CallControlRequested(r, Signal.CallControl.HANG_UP, "order complete"));
            d.advance(ms(400));
            chunk(r, 0, "Thanks for ordering from Tony's, enjoy your pizza!");
            finishReply(r, 1);
        }

        /** The caller says {@code text} over about a second, with interims growing word by word. */
        void callerSays(String text) {
            d.send(new Signal.CallerSpeechStarted(Duration.ZERO));
            callerContinues(text);
        }

        /** The rest of a turn whose speech has already started. */
        void callerContinues(String text) {
            String[] words = text.split(" ");
            StringBuilder heard = new StringBuilder();
            for (String w : words) {
                d.advance(ms(220));
                heard.append(heard.isEmpty() ? "" : " ").append(w);
                d.send(new Signal.TranscriptInterim(heard.toString()));
            }
            d.advance(ms(200));
            d.send(new Signal.TranscriptInterim(text));
            d.advance(ms(100));
            d.send(new Signal.CallerSpeechEnded(Duration.ZERO, ms(220L * words.length + 300)));
            d.advance(ms(150));
            d.send(new Signal.TranscriptFinal(text, true));
            d.advance(ms(360)); // the turn ends after 500 ms of silence
        }

        /** The live reply writes its chunks (after its time to first audio); returns its id. */
        int reply(String... chunks) {
            int r = d.lastStart().replyId();
            d.advance(ms(350));
            for (int i = 0; i < chunks.length; i++) {
                chunk(r, i, chunks[i]);
                d.advance(ms(120));
            }
            return r;
        }

        /** The live reply speaks {@code chunks} and finishes; the far end plays them all. */
        void speak(String... chunks) {
            int r = reply(chunks);
            finishReply(r, chunks.length);
        }

        void finishReply(int r, int chunks) {
            d.send(new Signal.ReplyFinished(r, ReplyStatus.COMPLETED, List.of(), ""));
            played(r, chunks);
        }

        /** The far end plays chunks {@code 0 .. chunks-1} of reply {@code r}, reporting each mark. */
        void played(int r, int chunks) {
            for (int i = 0; i < chunks; i++) {
                String mark = CallMachine.markName(r, i);
                d.advance(audio.getOrDefault(mark, ms(500)));
                d.send(new Signal.MarkPlayed(mark));
            }
        }

        void chunk(int r, int index, String text) {
            List<WordTiming> timings = new ArrayList<>();
            long t = 0;
            for (String w : text.split(" ")) {
                long len = 120 + 40L * w.length();
                timings.add(new WordTiming(w, ms(t), ms(t + len)));
                t += len + 30;
            }
            audio.put(CallMachine.markName(r, index), ms(t));
            d.send(new Signal.ReplyChunk(r, index, text, ms(t), timings, ms(40)));
        }
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }
}
