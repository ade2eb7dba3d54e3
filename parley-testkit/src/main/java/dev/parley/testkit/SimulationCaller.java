package dev.parley.testkit;

import dev.parley.machine.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The simulated caller and their recogniser: speech segments (VAD start and end), interims and finals (sometimes
 * differing, sometimes a backchannel, sometimes no words at all), speech over the agent, keypad digits and hang-ups.
 */
final class SimulationCaller {
    private enum Kind { WORDS, BACKCHANNEL, NOISE, ECHO, DTMF }

    private final SimulationCall call;
    private final Random rnd;
    private int turnsLeft;
    private boolean busy;
    private boolean gone;
    private Instant sttCursor = Instant.EPOCH;
    private SimulationCall.@Nullable Ev pendingFinal;
    private @Nullable Signal pendingFinalSignal;
    private Instant pendingFinalAfter = Instant.EPOCH;
    private final Instant callStart;

    SimulationCaller(SimulationCall call) {
        this.call = call;
        this.rnd = call.rnd();
        this.turnsLeft = 1 + rnd.nextInt(10);
        this.callStart = call.now();
    }

    void start() {
        scheduleNext(SimulationText.between(rnd, 200, 4000));
    }

    private void scheduleNext(Duration delay) {
        call.after(delay, this::nextTurn);
    }

    private void nextTurn() {
        if (gone || call.over()) {
            return;
        }
        if (busy) {
            scheduleNext(SimulationText.between(rnd, 300, 1500));
            return;
        }
        if (turnsLeft-- <= 0) {
            hangUp();
            return;
        }
        int r = rnd.nextInt(100);
        Kind kind = r < 72 ? Kind.WORDS : r < 80 ? Kind.BACKCHANNEL : r < 90 ? Kind.NOISE : Kind.DTMF;
        utter(kind, "");
    }

    private void hangUp() {
        gone = true;
        call.deliver(new Signal.CallerHungUp("caller hung up"));
    }

    /** The agent wrote a chunk that plays from {@code start}: sometimes the caller talks over it. */
    void agentWrote(String text, Instant start, Duration audio) {
        if (gone || busy || rnd.nextInt(100) >= 18) {
            return;
        }
        int r = rnd.nextInt(100);
        Kind kind = r < 45 ? Kind.WORDS : r < 70 ? Kind.BACKCHANNEL : r < 90 ? Kind.NOISE : Kind.ECHO;
        Duration offset = kind == Kind.ECHO ? SimulationText.between(rnd, 0, 350)
                : SimulationText.between(rnd, 0, Math.max(1, audio.toMillis()));
        Instant at = start.plus(offset);
        call.at(at.isBefore(call.now()) ? call.now() : at, () -> {
            if (!busy && !gone && !call.over()) {
                utter(kind, text);
            }
        });
    }

    private void utter(Kind kind, String agentText) {
        if (rnd.nextInt(120) == 0) { // hangs up in the middle of it all
            call.after(SimulationText.between(rnd, 0, 1500), () -> {
                if (!gone && !call.over()) {
                    hangUp();
                }
            });
        }
        if (kind == Kind.DTMF) {
            dtmf();
            return;
        }
        busy = true;
        String said = switch (kind) {
            case WORDS -> SimulationText.pick(rnd, SimulationText.CALLER);
            case BACKCHANNEL -> SimulationText.pick(rnd, SimulationText.BACKCHANNELS);
            case ECHO -> echoOf(agentText);
            case NOISE, DTMF -> "";
        };
        List<String> words = SimulationText.tokens(said);
        Instant t = call.now();
        if (words.size() >= 4 && rnd.nextInt(6) == 0) { // a pause inside the turn: two segments
            int cut = 1 + rnd.nextInt(words.size() - 1);
            t = segment(t, SimulationText.words(words, 0, cut), kind, false);
            t = t.plus(SimulationText.between(rnd, 120, 600));
            segment(t, SimulationText.words(words, cut, words.size()), kind, true);
        } else {
            segment(t, said, kind, true);
        }
    }

    private String echoOf(String agentText) {
        List<String> t = SimulationText.tokens(agentText.toLowerCase(java.util.Locale.ROOT).replaceAll("[.,!?]", ""));
        if (t.isEmpty()) {
            return "";
        }
        int from = rnd.nextInt(t.size());
        return SimulationText.words(t, from, Math.min(t.size(), from + 1 + rnd.nextInt(3)));
    }

    /** One stretch of caller speech from {@code t}; returns when it ends. */
    private Instant segment(Instant t, String text, Kind kind, boolean last) {
        List<String> words = SimulationText.tokens(text);
        boolean vadMissed = kind == Kind.WORDS && rnd.nextInt(30) == 0;
        Duration speech = words.isEmpty() ? SimulationText.between(rnd, 60, 700)
                : SimulationText.between(rnd, 180L * words.size() + 100, 330L * words.size() + 250);
        Instant end = t.plus(speech);
        if (!vadMissed) {
            signal(t, new Signal.CallerSpeechStarted(Duration.between(callStart, t)));
        }
        // interims: growing prefixes, the last often repeated (a stable transcript)
        if (!words.isEmpty()) {
            long step = Math.max(120, speech.toMillis() * 2 / (words.size() + 1));
            Instant at = t.plus(SimulationText.between(rnd, 100, 250));
            int n = 1 + rnd.nextInt(2);
            String lastInterim = "";
            while (at.isBefore(end)) {
                List<String> prefix = words.subList(0, Math.min(n, words.size()));
                lastInterim = rnd.nextInt(12) == 0 ? SimulationText.misheard(rnd, String.join(" ", prefix))
                        : String.join(" ", prefix);
                stt(at, new Signal.TranscriptInterim(lastInterim));
                n += 1 + rnd.nextInt(2);
                at = at.plus(SimulationText.between(rnd, step / 2, step * 3 / 2));
            }
            if (rnd.nextInt(10) < 6) {
                stt(end.minusMillis(5), new Signal.TranscriptInterim(text));
                stt(end.minusMillis(2), new Signal.TranscriptInterim(text));
            }
        }
        if (!vadMissed) {
            signal(end, new Signal.CallerSpeechEnded(Duration.between(callStart, end), speech));
        }
        // the final: what was said, or a variant; sometimes none at all (or empty for noise)
        String finalText = words.isEmpty() ? "" : rnd.nextInt(5) == 0 ? SimulationText.misheard(rnd, text) : text;
        boolean lost = rnd.nextInt(words.isEmpty() ? 2 : 25) == 0;
        Instant finalAt = end.plus(SimulationText.between(rnd, 60, 900));
        if (!lost) {
            Signal f = new Signal.TranscriptFinal(finalText, rnd.nextInt(10) < 7);
            SimulationCall.Ev ev = stt(finalAt, f);
            pendingFinal = ev;
            pendingFinalSignal = f;
            pendingFinalAfter = end;
            if (rnd.nextInt(4) == 0 && !finalText.isEmpty()) {
                stt(finalAt.plus(SimulationText.between(rnd, 10, 200)), new Signal.TurnScore(finalText, rnd.nextDouble()));
            }
        }
        if (last) {
            call.at(finalAt.plusMillis(1), () -> {
                busy = false;
                Duration think = rnd.nextInt(10) == 0 ? SimulationText.between(rnd, 6000, 25000)
                        : SimulationText.between(rnd, 300, 5000);
                scheduleNext(think);
            });
        }
        return end;
    }

    /** The machine asked for a final transcript: the recogniser delivers the pending one soon. */
    void finalizeRequested() {
        SimulationCall.Ev ev = pendingFinal;
        Signal f = pendingFinalSignal;
        if (ev == null || f == null || ev.dead || ev.done || call.now().isBefore(pendingFinalAfter)) {
            return;
        }
        Instant soon = call.now().plus(SimulationText.between(rnd, 20, 250));
        if (soon.isBefore(ev.at) && !soon.isBefore(sttCursor)) {
            ev.dead = true;
            pendingFinal = call.at(soon, () -> send(f));
        }
    }

    private void dtmf() {
        int digits = 1 + rnd.nextInt(4);
        Instant t = call.now();
        for (int i = 0; i < digits; i++) {
            String d = i == digits - 1 && rnd.nextInt(10) < 6 ? "#" : String.valueOf(rnd.nextInt(10));
            signal(t, new Signal.DtmfPressed(d));
            t = t.plus(SimulationText.between(rnd, 150, 700));
        }
        call.at(t, () -> scheduleNext(SimulationText.between(rnd, 500, 5000)));
    }

    /** A recogniser event: the recogniser's events arrive in order. */
    private SimulationCall.Ev stt(Instant at, Signal s) {
        Instant t = at.isAfter(sttCursor) ? at : sttCursor.plusNanos(1000);
        sttCursor = t;
        return signal(t, s);
    }

    private SimulationCall.Ev signal(Instant at, Signal s) {
        return call.at(at, () -> send(s));
    }

    private void send(Signal s) {
        if (!gone && !call.over()) {
            call.deliver(s);
        }
    }
}
