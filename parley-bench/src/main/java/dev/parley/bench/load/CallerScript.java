package dev.parley.bench.load;

import dev.parley.audio.AudioFrame;
import dev.parley.localtts.LocalTts;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.testkit.Utterance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every simulated call says and hears: the caller's sentences (synthesised once with FreeTTS at 8 kHz, so a
 * real VAD fires on them), the transcript the fake recogniser gives each one (with stable interims, so Parley may
 * start a speculative reply), and the fake model's replies (a few sentences each, so there is something to
 * interrupt). Turn {@link #BARGE_IN_TURN} interrupts the agent's reply to the turn before it.
 */
final class CallerScript {
    /** Frames above this level count as speech, for the simulator and the fake recogniser alike. */
    static final double VOICED_DBFS = -40;
    /** The caller turn (0-based) that talks over the agent. */
    static final int BARGE_IN_TURN = 2;

    private static final List<String> CALLER = List.of(
            "I would like a large pepperoni pizza.",
            "Can you add a bottle of cola too?",
            "Actually make that two bottles.",
            "That is all thank you.");

    /** The first sentence of each reply has no clause mark, so its words are exactly the first speakable chunk. */
    private static final List<String> REPLIES = List.of(
            "Great choice. I have added one large pepperoni pizza to your order. "
                    + "Would you like a drink or a side with that?",
            "I can add a cola for you. We also have lemonade and iced tea if you prefer. "
                    + "Is there anything else you would like today?",
            "No problem at all. Two bottles of cola it is. Your order is one large pepperoni pizza and two colas.",
            "Thank you for your order. It will be ready in about twenty minutes. Have a wonderful evening.");

    /** One caller sentence: its audio and what the fake recogniser makes of it. */
    record Turn(String text, List<AudioFrame> audio, Utterance transcript, Duration voiced) {}

    private final List<Turn> turns;

    private CallerScript(List<Turn> turns) {
        this.turns = List.copyOf(turns);
    }

    /** Synthesises the first {@code count} caller sentences (2 to 4; the barge-in is the third). */
    static CallerScript synthesise(int count) {
        if (count < 1 || count > CALLER.size()) {
            throw new IllegalArgumentException("turns per call must be between 1 and " + CALLER.size());
        }
        var list = new ArrayList<Turn>();
        for (String text : CALLER.subList(0, count)) {
            List<AudioFrame> audio = speak(text, 8000);
            Duration voiced = voicedSpan(audio);
            list.add(new Turn(text, audio, stableTranscript(text, voiced), voiced));
        }
        return new CallerScript(list);
    }

    List<Turn> turns() {
        return turns;
    }

    /** The fake model's reply to the caller's {@code userTurn}-th turn (1-based). */
    static String reply(int userTurn) {
        return REPLIES.get(Math.floorMod(userTurn - 1, REPLIES.size()));
    }

    /**
     * Words of the reply's first speakable chunk: up to its first sentence end. The chunker confirms that boundary
     * when the next token arrives, {@code words} token intervals after the first token.
     */
    static int firstChunkWords(String reply) {
        String[] words = reply.strip().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            char last = words[i].charAt(words[i].length() - 1);
            if (last == '.' || last == '!' || last == '?') {
                return i + 1;
            }
        }
        return words.length;
    }

    /**
     * Growing word prefixes over the first half of the speech, then the whole sentence twice (at 60 % and 75 %),
     * so the last interims agree before the caller stops: a stable transcript at end of speech.
     */
    static Utterance stableTranscript(String text, Duration voiced) {
        String clean = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z' ]", "").strip();
        String[] words = clean.split("\\s+");
        long span = voiced.toNanos();
        var u = Utterance.finalOnly(clean);
        for (int k = 1; k < words.length; k++) {
            u = u.withInterim(Duration.ofNanos(span / 2 * k / words.length),
                    String.join(" ", List.of(words).subList(0, k)));
        }
        return u.withInterim(Duration.ofNanos(span * 6 / 10), clean).withInterim(Duration.ofNanos(span * 3 / 4), clean);
    }

    /** First voiced frame start to last voiced frame end. */
    static Duration voicedSpan(List<AudioFrame> frames) {
        long at = 0;
        long first = -1;
        long last = 0;
        for (AudioFrame f : frames) {
            long end = at + f.duration().toNanos();
            if (f.levelDbfs() > VOICED_DBFS) {
                if (first < 0) {
                    first = at;
                }
                last = end;
            }
            at = end;
        }
        if (first < 0) {
            throw new IllegalStateException("the synthesised caller speech is silent");
        }
        return Duration.ofNanos(last - first);
    }

    /** FreeTTS speech for {@code text} at {@code rate}, as 20 ms frames. */
    static List<AudioFrame> speak(String text, int rate) {
        var chunks = new ArrayList<short[]>();
        int total = 0;
        try (TtsStream s = LocalTts.english().open(new TtsRequest("caller", rate, "en-US", ""))) {
            s.send(text);
            s.finish();
            Optional<TtsEvent> e;
            while ((e = s.next()).isPresent()) {
                if (e.get() instanceof TtsEvent.Audio a) {
                    chunks.add(a.frame().samples());
                    total += a.frame().length();
                }
            }
        }
        short[] all = new short[total];
        int pos = 0;
        for (short[] c : chunks) {
            System.arraycopy(c, 0, all, pos, c.length);
            pos += c.length;
        }
        int step = rate / 50;
        var frames = new ArrayList<AudioFrame>();
        for (int i = 0; i < all.length; i += step) {
            short[] f = new short[step];
            System.arraycopy(all, i, f, 0, Math.min(step, all.length - i));
            frames.add(new AudioFrame(f, rate));
        }
        return frames;
    }
}
