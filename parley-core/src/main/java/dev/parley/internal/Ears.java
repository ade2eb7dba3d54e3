package dev.parley.internal;

import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.ParleyException;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.CallTransport;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.EndOfTurnDetector;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttStream;
import dev.parley.spi.TransportEvent;
import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's listening stages: the transport reader (audio to VAD and STT; DTMF, marks and hang-up as signals) and
 * the STT reader (transcripts as signals). Audio never reaches the conductor; only facts about it do.
 */
final class Ears implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ears.class);

    private final CallTransport transport;
    private final VadSession vad;
    private final SttStream stt;
    private final Consumer<Signal> post;
    private final @Nullable EndOfTurnDetector endOfTurn;
    private final Supplier<List<ChatMessage>> history;
    private final AudioConverter toModelRate;
    private final int modelRate;
    private long streamSamples;

    Ears(CallTransport transport, VadSession vad, SttStream stt, int modelRate, Consumer<Signal> post,
         @Nullable EndOfTurnDetector endOfTurn, Supplier<List<ChatMessage>> history) {
        this.transport = transport;
        this.vad = vad;
        this.stt = stt;
        this.modelRate = modelRate;
        this.post = post;
        this.endOfTurn = endOfTurn;
        this.history = history;
        this.toModelRate = new AudioConverter(modelRate);
    }

    /** Reads the transport until the caller hangs up or the connection ends. */
    Void listen() {
        try {
            Optional<TransportEvent> next;
            while ((next = transport.next()).isPresent()) {
                switch (next.get()) {
                    case TransportEvent.Media m -> hear(m.frame());
                    case TransportEvent.Dtmf d -> post.accept(new Signal.DtmfPressed(d.digit()));
                    case TransportEvent.MarkPlayed m -> post.accept(new Signal.MarkPlayed(m.name()));
                    case TransportEvent.HungUp h -> {
                        post.accept(new Signal.CallerHungUp(h.reason()));
                        return null;
                    }
                }
            }
            post.accept(new Signal.CallerHungUp("connection closed"));
        } catch (ParleyException e) {
            LOG.warn("transport failed: {}", e.getMessage());
            post.accept(new Signal.CallerHungUp("transport failed"));
        }
        return null;
    }

    private void hear(AudioFrame frame) {
        AudioFrame f = toModelRate.convert(frame);
        stt.send(f);
        List<VadEvent> events = vad.accept(f);
        streamSamples += f.length();
        for (VadEvent e : events) {
            switch (e) {
                case VadEvent.SpeechStarted s ->
                        post.accept(new Signal.CallerSpeechStarted(s.at(), sinceInStream(s.at())));
                case VadEvent.SpeechEnded s ->
                        post.accept(new Signal.CallerSpeechEnded(s.at(), s.speech(), sinceInStream(s.at())));
            }
        }
    }

    /** How far the inbound stream has gone past {@code at}: the VAD's confirmation delay. */
    private java.time.Duration sinceInStream(java.time.Duration at) {
        java.time.Duration d = java.time.Duration.ofNanos(streamSamples * 1_000_000_000L / modelRate).minus(at);
        return d.isNegative() ? java.time.Duration.ZERO : d;
    }

    /** Reads transcripts until the recogniser's stream ends. */
    Void transcripts() {
        try {
            Optional<SttEvent> next;
            while ((next = stt.next()).isPresent()) {
                switch (next.get()) {
                    case SttEvent.Interim i -> {
                        if (!i.text().isBlank()) {
                            post.accept(new Signal.TranscriptInterim(i.text()));
                        }
                    }
                    case SttEvent.Final f -> {
                        post.accept(new Signal.TranscriptFinal(f.text(), f.endOfSpeech()));
                        if (endOfTurn != null && !f.text().isBlank()) {
                            double p = endOfTurn.completionProbability(history.get(), f.text());
                            post.accept(new Signal.TurnScore(f.text(), p));
                        }
                    }
                    case SttEvent.SpeechStarted s -> { }
                    case SttEvent.UtteranceEnd u -> { }
                }
            }
        } catch (ParleyException e) {
            LOG.warn("speech recognition failed: {}", e.getMessage());
            post.accept(new Signal.CallerHungUp("speech recognition failed"));
        }
        return null;
    }

    int modelRate() {
        return modelRate;
    }

    void finalizeTurn() {
        try {
            stt.finalizeTurn();
        } catch (RuntimeException e) {
            LOG.debug("finalize failed", e);
        }
    }

    @Override
    public void close() {
        TaskScope.closeQuietly(stt);
        TaskScope.closeQuietly(vad);
    }
}
