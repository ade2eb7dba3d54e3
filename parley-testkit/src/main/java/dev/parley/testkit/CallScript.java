package dev.parley.testkit;

import dev.parley.CallEvent;
import dev.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A scripted call timeline for scenario tests: the caller's side as steps (speak, stay silent, press keys, wait for
 * the agent, hang up) run in order against an {@link InMemoryTransport}. While a step waits, the line carries
 * silence, as a real phone line does (the VAD needs it to hear the end of speech); waits are for events, not sleeps.
 *
 * <pre>{@code
 * CallScript.on(transport, recorder)
 *     .silence(ms(300))
 *     .say(ms(900))
 *     .until(CallEvent.AgentFinishedSpeaking.class)
 *     .press("1").press("#")
 *     .hangUp()
 *     .run();
 * }</pre>
 */
public final class CallScript {
    /** One step of the caller's timeline. */
    public sealed interface Step {
        record Silence(Duration duration) implements Step {}

        record Speak(List<AudioFrame> audio) implements Step {}

        record Press(String digit) implements Step {}

        record Until(String what, Predicate<CallEvent> event, int count, Duration timeout) implements Step {}

        record HangUp() implements Step {}
    }

    private static final Duration TICK = Duration.ofMillis(20);
    private final InMemoryTransport line;
    private final CallRecorder events;
    private final List<Step> steps = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(10);

    private CallScript(InMemoryTransport line, CallRecorder events) {
        this.line = line;
        this.events = events;
    }

    public static CallScript on(InMemoryTransport line, CallRecorder events) {
        return new CallScript(line, events);
    }

    /** Default time limit of {@link #until} steps. */
    public CallScript timeout(Duration d) {
        this.timeout = d;
        return this;
    }

    public CallScript silence(Duration d) {
        steps.add(new Step.Silence(d));
        return this;
    }

    /** Voiced caller audio for {@code speech}, then 400 ms of silence (the end of the utterance). */
    public CallScript say(Duration speech) {
        return say(TestAudio.utterance(speech, Duration.ofMillis(400), line.inboundFormat().sampleRate()));
    }

    public CallScript say(List<AudioFrame> audio) {
        steps.add(new Step.Speak(List.copyOf(audio)));
        return this;
    }

    public CallScript press(String digit) {
        steps.add(new Step.Press(digit));
        return this;
    }

    /** Keeps the line silent until the first event of this type (counting from the start of the call). */
    public CallScript until(Class<? extends CallEvent> type) {
        return until(type, 1);
    }

    /** Keeps the line silent until the {@code n}-th event of this type has happened. */
    public CallScript until(Class<? extends CallEvent> type, int n) {
        steps.add(new Step.Until(type.getSimpleName(), type::isInstance, n, timeout));
        return this;
    }

    /** Keeps the line silent until the {@code n}-th event matching {@code p}. */
    public CallScript until(String what, Predicate<CallEvent> p, int n) {
        steps.add(new Step.Until(what, p, n, timeout));
        return this;
    }

    public CallScript hangUp() {
        steps.add(new Step.HangUp());
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Runs the steps in order on the calling thread; fails with the events so far if a wait times out. */
    public void run() {
        int rate = line.inboundFormat().sampleRate();
        for (Step step : steps) {
            switch (step) {
                case Step.Silence s -> line.silence(s.duration());
                case Step.Speak s -> line.sendAudioPaced(s.audio());
                case Step.Press p -> line.pressKey(p.digit());
                case Step.HangUp h -> line.hangUpFromCaller();
                case Step.Until u -> {
                    long end = System.nanoTime() + u.timeout().toNanos();
                    while (count(u.event()) < u.count()) {
                        if (System.nanoTime() > end) {
                            throw new AssertionError("timed out after " + u.timeout().toMillis() + " ms waiting for "
                                    + u.what() + " #" + u.count() + "; events so far: " + events.events());
                        }
                        line.sendAudioPaced(TestAudio.silence(TICK, rate));
                    }
                }
            }
        }
    }

    private int count(Predicate<CallEvent> p) {
        return (int) events.events().stream().filter(p).count();
    }
}
