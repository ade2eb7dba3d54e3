package dev.parley.machine;

import dev.parley.spi.ChatMessage;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.List;

/**
 * Facts the conductor feeds to the {@link CallMachine}: everything a call's decisions depend on.
 * Each is journalled with the time it arrived, so a journal replays every decision.
 */
public sealed interface Signal {
    /** The call is connected; the agent may greet. */
    record CallStarted() implements Signal {}

    /**
     * The VAD confirmed the caller started speaking: {@code at} is the onset inside the inbound stream, and the VAD
     * confirmed it {@code confirmedAfter} later (its minimum speech), so the speech began that long before this signal.
     */
    record CallerSpeechStarted(Duration at, Duration confirmedAfter) implements Signal {
        public CallerSpeechStarted(Duration at) {
            this(at, Duration.ZERO);
        }
    }

    /**
     * The VAD confirmed the caller stopped speaking: silence began at {@code at} in the inbound stream, which was
     * {@code confirmedAfter} before this signal (the VAD's minimum silence).
     */
    record CallerSpeechEnded(Duration at, Duration speech, Duration confirmedAfter) implements Signal {
        public CallerSpeechEnded(Duration at, Duration speech) {
            this(at, speech, Duration.ZERO);
        }
    }

    record TranscriptInterim(String text) implements Signal {}

    /** A final transcript; {@code endOfSpeech} is the recogniser's endpointing verdict. */
    record TranscriptFinal(String text, boolean endOfSpeech) implements Signal {}

    /** An end-of-turn model's verdict on the transcript so far. */
    record TurnScore(String transcript, double probability) implements Signal {}

    record DtmfPressed(String digit) implements Signal {}

    /** The far end played everything written before the mark named {@code name}. */
    record MarkPlayed(String name) implements Signal {}

    record CallerHungUp(String reason) implements Signal {}

    /** A provider reported an error, retry, stall, failover or routing decision. */
    record ProviderNote(String kind, String provider, String detail) implements Signal {}

    /** A timer the machine set has fired. */
    record TimerFired(String name) implements Signal {}

    /**
     * A reply wrote one chunk of speech (text and its audio) to the caller's sink, followed by a mark.
     * {@code writing} is how long before this signal the chunk's first audio was written (when it began to play).
     */
    record ReplyChunk(int replyId, int index, String text, Duration audio, List<WordTiming> words, Duration writing)
            implements Signal {
        public ReplyChunk {
            words = List.copyOf(words);
        }
    }

    record ToolStarted(int replyId, String toolCallId, String name) implements Signal {}

    record ToolFinished(int replyId, String toolCallId, String name, ToolOutcome outcome) implements Signal {}

    /** A tool asked to hand the caller to a human, or to end the call, after the reply. */
    record CallControlRequested(int replyId, CallControl action, String reason) implements Signal {}

    /**
     * A reply ended. {@code steps} are the messages its model steps produced besides spoken text (assistant tool
     * calls and tool results, in order); spoken text is known to the machine from {@link ReplyChunk}s.
     */
    record ReplyFinished(int replyId, ReplyStatus status, List<ChatMessage> steps, String error) implements Signal {
        public ReplyFinished {
            steps = List.copyOf(steps);
        }
    }

    enum ToolOutcome { OK, ERROR, CANCELLED, TIMEOUT }

    enum ReplyStatus { COMPLETED, INTERRUPTED, FAILED }

    enum CallControl { TRANSFER, HANG_UP }
}
