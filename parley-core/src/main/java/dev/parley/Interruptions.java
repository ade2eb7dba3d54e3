package dev.parley;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Barge-in policy: when caller speech over the agent interrupts it.
 *
 * @param minSpeech caller speech must last this long before it interrupts
 * @param minWords this many recognised words (backchannel words excluded) are also needed; 0 interrupts on voice alone
 * @param echoGuard speech starting this soon after the agent starts speaking is taken for echo and ignored
 * @param backchannels phrases that never count as a turn ("uh-huh", "yeah", "okay")
 * @param resumeAfterFalseInterruption whether a barge-in that yields no words (or only a backchannel) resumes the cut reply
 * @param falseInterruptionTimeout how long to wait for words after a barge-in before resuming
 */
public record Interruptions(Duration minSpeech, int minWords, Duration echoGuard, List<String> backchannels,
                            boolean resumeAfterFalseInterruption, Duration falseInterruptionTimeout) {
    public Interruptions {
        backchannels = backchannels.stream().map(s -> s.toLowerCase(Locale.ROOT).trim()).toList();
        if (minWords < 0) {
            throw new IllegalArgumentException("minWords must not be negative");
        }
    }

    public static final List<String> DEFAULT_BACKCHANNELS = List.of(
            "uh-huh", "uh huh", "mm-hmm", "mm hmm", "mhm", "hmm", "yeah", "yep", "yes", "okay", "ok", "right", "sure",
            "got it", "i see", "alright", "all right", "uh", "um");

    public static Interruptions defaults() {
        return new Interruptions(Duration.ofMillis(80), 0, Duration.ofMillis(250), DEFAULT_BACKCHANNELS, true,
                Duration.ofMillis(1500));
    }

    public Interruptions minSpeech(Duration d) {
        return new Interruptions(d, minWords, echoGuard, backchannels, resumeAfterFalseInterruption, falseInterruptionTimeout);
    }

    public Interruptions minWords(int n) {
        return new Interruptions(minSpeech, n, echoGuard, backchannels, resumeAfterFalseInterruption, falseInterruptionTimeout);
    }

    public Interruptions echoGuard(Duration d) {
        return new Interruptions(minSpeech, minWords, d, backchannels, resumeAfterFalseInterruption, falseInterruptionTimeout);
    }

    /** Replaces the backchannel phrases. */
    public Interruptions ignore(String... phrases) {
        return new Interruptions(minSpeech, minWords, echoGuard, Arrays.asList(phrases), resumeAfterFalseInterruption,
                falseInterruptionTimeout);
    }

    public Interruptions falseInterruption(boolean resume, Duration timeout) {
        return new Interruptions(minSpeech, minWords, echoGuard, backchannels, resume, timeout);
    }
}
