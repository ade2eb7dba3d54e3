package dev.parley.testkit;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** One stream of a {@link FakeTts}; also a handle for assertions. */
public final class FakeTtsStream implements TtsStream {
    private final FakeTts.Settings settings;
    private final TtsRequest request;
    private final EventChannel<TtsEvent> out;
    private final StringBuilder pending = new StringBuilder();
    private final List<String> received = new ArrayList<>();
    private final List<String> pieces = new ArrayList<>();
    private final AtomicInteger framesDelivered = new AtomicInteger();
    private long producedUntil = Long.MIN_VALUE;
    private long audioOffsetNanos;
    private int flushes;
    private boolean finished;

    FakeTtsStream(FakeTts.Settings settings, TtsRequest request, Fault fault) {
        this.settings = settings;
        this.request = request;
        this.out = new EventChannel<>(fault);
    }

    @Override
    public synchronized void send(String text) {
        if (finished || out.isClosed()) {
            return;
        }
        received.add(text);
        pending.append(text);
    }

    @Override
    public synchronized void flush() {
        if (finished || out.isClosed()) {
            return;
        }
        flushes++;
        synthesise(true);
    }

    @Override
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (!pending.isEmpty()) {
            synthesise(false);
        }
        out.end();
    }

    private void synthesise(boolean flushed) {
        String text = pending.toString();
        pending.setLength(0);
        long start = Math.max(EventChannel.nanosFromNow(settings.ttfb()), producedUntil);
        long due = start;
        if (!text.isEmpty()) {
            pieces.add(text);
            int rate = request.sampleRate();
            if (settings.wordTimings() && !text.isBlank()) {
                out.offerAt(new TtsEvent.Words(words(text)), start);
            }
            short[] samples = ToneCodec.encode(text, rate, settings.framesPerChar(), settings.levelDbfs());
            List<AudioFrame> frames = TestAudio.frames(samples, rate);
            double rtf = settings.realTimeFactor();
            long interval = Double.isInfinite(rtf) ? 0 : (long) (TestAudio.FRAME.toNanos() / rtf);
            for (int i = 0; i < frames.size(); i++) {
                due = start + i * interval;
                out.offerAt(new TtsEvent.Audio(frames.get(i)), due);
            }
            producedUntil = start + frames.size() * interval;
            audioOffsetNanos += settings.charDuration().toNanos() * text.length();
        }
        if (flushed) {
            out.offerAt(new TtsEvent.Flushed(), due);
        }
    }

    private List<WordTiming> words(String text) {
        long slot = settings.charDuration().toNanos();
        var list = new ArrayList<WordTiming>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int from = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > from) {
                list.add(new WordTiming(text.substring(from, i), Duration.ofNanos(audioOffsetNanos + from * slot),
                        Duration.ofNanos(audioOffsetNanos + i * slot)));
            }
        }
        return list;
    }

    @Override
    public Optional<TtsEvent> next() {
        Optional<TtsEvent> e = out.next();
        if (e.isPresent() && e.get() instanceof TtsEvent.Audio) {
            framesDelivered.incrementAndGet();
        }
        return e;
    }

    @Override
    public void close() {
        out.close();
    }

    public TtsRequest request() {
        return request;
    }

    /** Texts passed to {@code send}, in order. */
    public synchronized List<String> textsReceived() {
        return List.copyOf(received);
    }

    /** The text synthesised per flush (and at finish), in order; empty flushes are left out. */
    public synchronized List<String> synthesisedPieces() {
        return List.copyOf(pieces);
    }

    public synchronized int flushes() {
        return flushes;
    }

    public synchronized boolean finishCalled() {
        return finished;
    }

    /** Audio frames returned by {@code next()} so far. */
    public int framesDelivered() {
        return framesDelivered.get();
    }

    public boolean closed() {
        return out.isClosed();
    }
}
