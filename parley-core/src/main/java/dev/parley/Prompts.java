package dev.parley;

import java.time.Duration;
import java.util.List;

/**
 * What the agent says on its own: the greeting, tool filler, idle prompts and the goodbye.
 *
 * @param greeting spoken when the call starts ("" for none: the agent waits for the caller)
 * @param fillerAfter a tool running longer than this gets a filler phrase
 * @param fillers filler phrases, used in turn
 * @param idleAfter silence after the agent finished speaking before an idle prompt
 * @param idlePrompts prompts spoken after successive silences; after the last, the goodbye and a hang-up
 * @param goodbye the polite closing before an idle hang-up
 * @param maxToolSteps model steps with tool calls allowed in one reply
 * @param dtmfTimeout pause after the last keypad digit that ends DTMF input ('#' ends it at once)
 */
public record Prompts(String greeting, Duration fillerAfter, List<String> fillers, Duration idleAfter,
                      List<String> idlePrompts, String goodbye, int maxToolSteps, Duration dtmfTimeout) {
    public Prompts {
        fillers = List.copyOf(fillers);
        idlePrompts = List.copyOf(idlePrompts);
        if (fillers.isEmpty()) {
            throw new IllegalArgumentException("at least one filler phrase is needed");
        }
        if (maxToolSteps < 1) {
            throw new IllegalArgumentException("maxToolSteps must be at least 1");
        }
    }

    public static Prompts defaults() {
        return new Prompts("", Duration.ofMillis(1200), List.of("One moment while I check.", "Just a second."),
                Duration.ofSeconds(8), List.of("Are you still there?"),
                "I haven't heard from you, so I'll hang up now. Goodbye!", 3, Duration.ofMillis(1500));
    }

    public Prompts withGreeting(String text) {
        return new Prompts(text, fillerAfter, fillers, idleAfter, idlePrompts, goodbye, maxToolSteps, dtmfTimeout);
    }

    public Prompts withFiller(Duration after, List<String> phrases) {
        return new Prompts(greeting, after, phrases, idleAfter, idlePrompts, goodbye, maxToolSteps, dtmfTimeout);
    }

    public Prompts withIdle(Duration after, List<String> prompts, String goodbyeText) {
        return new Prompts(greeting, fillerAfter, fillers, after, prompts, goodbyeText, maxToolSteps, dtmfTimeout);
    }

    public Prompts withMaxToolSteps(int n) {
        return new Prompts(greeting, fillerAfter, fillers, idleAfter, idlePrompts, goodbye, n, dtmfTimeout);
    }

    public Prompts withDtmfTimeout(Duration d) {
        return new Prompts(greeting, fillerAfter, fillers, idleAfter, idlePrompts, goodbye, maxToolSteps, d);
    }
}
