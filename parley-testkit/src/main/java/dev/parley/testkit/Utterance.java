package dev.parley.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FakeStt} "recognises" in one detected speech segment: interim transcripts at offsets
 * of speech time from the segment's start, and the final text. An empty {@code text} is noise: the
 * segment yields no interim and no final (a cough, a backchannel the STT drops).
 *
 * @param text the final transcript; "" for noise
 * @param interims interim transcripts in order of their offsets
 */
public record Utterance(String text, List<Interim> interims) {
    /** An interim transcript, emitted once {@code at} of speech of the segment has been received. */
    public record Interim(Duration at, String text) {}

    public Utterance {
        interims = List.copyOf(interims);
        for (int i = 1; i < interims.size(); i++) {
            if (interims.get(i).at().compareTo(interims.get(i - 1).at()) < 0) {
                throw new IllegalArgumentException("interims out of order: " + interims);
            }
        }
    }

    /** Growing word prefixes as interims, one more word every {@code perWord} of speech. */
    public static Utterance words(String text, Duration perWord) {
        String[] words = text.strip().isEmpty() ? new String[0] : text.strip().split("\\s+");
        var interims = new ArrayList<Interim>();
        for (int k = 1; k <= words.length; k++) {
            interims.add(new Interim(perWord.multipliedBy(k), String.join(" ", List.of(words).subList(0, k))));
        }
        return new Utterance(text.strip(), interims);
    }

    /** Only a final, no interims. */
    public static Utterance finalOnly(String text) {
        return new Utterance(text, List.of());
    }

    /** A segment that produces no transcript at all. */
    public static Utterance noise() {
        return new Utterance("", List.of());
    }

    /** Adds an interim (builder style): {@code Utterance.finalOnly("a b").withInterim(ms(200), "a")}. */
    public Utterance withInterim(Duration at, String interimText) {
        var list = new ArrayList<>(interims);
        list.add(new Interim(at, interimText));
        return new Utterance(text, list);
    }

    public boolean isNoise() {
        return text.isEmpty();
    }
}
