package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One stream of a {@link FakeStt}; also a handle for assertions (frames, finalize calls, state). */
public final class FakeSttStream implements SttStream {
    private enum State { IDLE, SPEAKING, FINALIZED_WHILE_VOICED }

    private final FakeStt owner;
    private final FakeStt.Settings settings;
    private final SttRequest request;
    private final EventChannel<SttEvent> out;
    private State state = State.IDLE;
    private long streamNanos;
    private long segStart;
    private long lastVoicedEnd;
    private boolean lastFrameVoiced;
    private Utterance utterance = Utterance.noise();
    private int nextInterim;
    private long frames;
    private int finalizeCalls;
    private int segments;
    private boolean finished;

    FakeSttStream(FakeStt owner, FakeStt.Settings settings, SttRequest request, Fault fault) {
        this.owner = owner;
        this.settings = settings;
        this.request = request;
        this.out = new EventChannel<>(fault);
    }

    @Override
    public synchronized void send(AudioFrame frame) {
        if (finished || out.isClosed()) {
            return;
        }
        frames++;
        long start = streamNanos;
        long end = start + frame.duration().toNanos();
        streamNanos = end;
        boolean voiced = frame.levelDbfs() > settings.thresholdDbfs();
        lastFrameVoiced = voiced;
        switch (state) {
            case IDLE -> {
                if (voiced) {
                    startSegment(start, end);
                }
            }
            case SPEAKING -> {
                if (voiced) {
                    lastVoicedEnd = end;
                    emitDueInterims();
                } else if (settings.endpointing().isPresent()
                        && end - lastVoicedEnd >= settings.endpointing().get().toNanos()) {
                    endSegment(true);
                    state = State.IDLE;
                }
            }
            case FINALIZED_WHILE_VOICED -> {
                if (!voiced) {
                    state = State.IDLE;
                }
            }
        }
    }

    private void startSegment(long start, long end) {
        segments++;
        state = State.SPEAKING;
        segStart = start;
        lastVoicedEnd = end;
        utterance = owner.nextUtterance();
        nextInterim = 0;
        if (settings.speechStartedEvents()) {
            out.offer(new SttEvent.SpeechStarted(Duration.ofNanos(start)));
        }
        emitDueInterims();
    }

    private void emitDueInterims() {
        long spoken = lastVoicedEnd - segStart;
        var interims = utterance.interims();
        while (nextInterim < interims.size() && interims.get(nextInterim).at().toNanos() <= spoken) {
            var interim = interims.get(nextInterim++);
            if (settings.interims()) {
                out.offerAt(new SttEvent.Interim(interim.text(), 0.8, timings(interim.text(), segStart, lastVoicedEnd)),
                        EventChannel.nanosFromNow(settings.interimLatency()));
            }
        }
    }

    private void endSegment(boolean byEndpointing) {
        if (!utterance.isNoise()) {
            out.offerAt(new SttEvent.Final(utterance.text(), 0.95, timings(utterance.text(), segStart, lastVoicedEnd), true),
                    EventChannel.nanosFromNow(settings.finalLatency()));
        }
        if (byEndpointing && settings.utteranceEndEvents()) {
            out.offerAt(new SttEvent.UtteranceEnd(Duration.ofNanos(lastVoicedEnd)),
                    EventChannel.nanosFromNow(settings.finalLatency()));
        }
        utterance = Utterance.noise();
    }

    /** Words spread evenly over the segment's speech. */
    private static List<WordTiming> timings(String text, long from, long to) {
        String[] words = text.isBlank() ? new String[0] : text.strip().split("\\s+");
        var out = new ArrayList<WordTiming>(words.length);
        long span = Math.max(0, to - from);
        for (int i = 0; i < words.length; i++) {
            out.add(new WordTiming(words[i], Duration.ofNanos(from + span * i / words.length),
                    Duration.ofNanos(from + span * (i + 1) / words.length)));
        }
        return out;
    }

    @Override
    public synchronized void finalizeTurn() {
        if (finished || out.isClosed()) {
            return;
        }
        finalizeCalls++;
        if (state == State.SPEAKING) {
            endSegment(false);
            state = lastFrameVoiced ? State.FINALIZED_WHILE_VOICED : State.IDLE;
        }
    }

    @Override
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (state == State.SPEAKING) {
            endSegment(false);
        }
        state = State.IDLE;
        out.end();
    }

    @Override
    public Optional<SttEvent> next() {
        return out.next();
    }

    @Override
    public void close() {
        out.close();
    }

    public SttRequest request() {
        return request;
    }

    public synchronized long framesReceived() {
        return frames;
    }

    /** Audio received so far (the stream's time). */
    public synchronized Duration audioReceived() {
        return Duration.ofNanos(streamNanos);
    }

    public synchronized int finalizeCalls() {
        return finalizeCalls;
    }

    public synchronized int segmentsDetected() {
        return segments;
    }

    /** True while a speech segment is open (speech seen, not yet finalised). */
    public synchronized boolean inSpeech() {
        return state == State.SPEAKING;
    }

    public synchronized boolean finishCalled() {
        return finished;
    }

    public boolean closed() {
        return out.isClosed();
    }

    /** Events offered so far (delivered or pending). */
    public int eventsEmitted() {
        return out.offered();
    }
}
