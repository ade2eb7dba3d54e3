package dev.parley.testkit;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import dev.parley.spi.VoiceActivityDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An energy {@link VoiceActivityDetector}: 10 ms windows above a level are speech; speech starts
 * once {@code minSpeech} of consecutive speech windows is seen and ends after {@code minSilence}
 * of consecutive quiet windows. Event times are offsets into the session's audio: a start at the
 * first speech window, an end at the end of the last one.
 */
public final class FakeVad implements VoiceActivityDetector {
    private static final Duration WINDOW = Duration.ofMillis(10);

    private final double thresholdDbfs;
    private final Duration minSpeech;
    private final Duration minSilence;
    private final AtomicInteger opened = new AtomicInteger();

    private FakeVad(double thresholdDbfs, Duration minSpeech, Duration minSilence) {
        this.thresholdDbfs = thresholdDbfs;
        this.minSpeech = FakeStt.nonNegative(minSpeech);
        this.minSilence = FakeStt.positive(minSilence);
    }

    /** -40 dBFS, 100 ms minimum speech, 300 ms minimum silence. */
    public static FakeVad create() {
        return new FakeVad(TestAudio.SPEECH_THRESHOLD_DBFS, Duration.ofMillis(100), Duration.ofMillis(300));
    }

    public static FakeVad create(double thresholdDbfs, Duration minSpeech, Duration minSilence) {
        return new FakeVad(thresholdDbfs, minSpeech, minSilence);
    }

    @Override
    public VadSession open(int sampleRate) {
        opened.incrementAndGet();
        return new Session(AudioFormat.pcm16(sampleRate));
    }

    @Override
    public String name() {
        return "fake-vad";
    }

    /** Sessions opened so far. */
    public int sessionsOpened() {
        return opened.get();
    }

    private final class Session implements VadSession {
        private final AudioFormat format;
        private final int window;
        private final short[] buffer;
        private int buffered;
        private long position;
        private boolean speaking;
        private long runStart = -1;
        private long lastSpeechEnd;
        private long quietSince = -1;
        private float probability;

        Session(AudioFormat format) {
            this.format = format;
            this.window = format.samplesFor(WINDOW);
            this.buffer = new short[window];
        }

        @Override
        public List<VadEvent> accept(AudioFrame frame) {
            if (frame.sampleRate() != format.sampleRate()) {
                throw new IllegalArgumentException("frame at " + frame.sampleRate() + " Hz, session at "
                        + format.sampleRate());
            }
            var events = new ArrayList<VadEvent>(1);
            for (short s : frame.samples()) {
                buffer[buffered++] = s;
                if (buffered == window) {
                    onWindow(events);
                    buffered = 0;
                }
            }
            return events;
        }

        private void onWindow(List<VadEvent> events) {
            long start = position;
            position += window;
            boolean voiced = new AudioFrame(buffer, format.sampleRate()).levelDbfs() > thresholdDbfs;
            probability = voiced ? 1f : 0f;
            if (voiced) {
                quietSince = -1;
                lastSpeechEnd = position;
                if (runStart < 0) {
                    runStart = start;
                }
                if (!speaking && position - runStart >= format.samplesFor(minSpeech)) {
                    speaking = true;
                    events.add(new VadEvent.SpeechStarted(format.durationOf(runStart)));
                }
            } else {
                if (quietSince < 0) {
                    quietSince = start;
                }
                if (!speaking) {
                    runStart = -1;
                } else if (position - quietSince >= format.samplesFor(minSilence)) {
                    speaking = false;
                    events.add(new VadEvent.SpeechEnded(format.durationOf(lastSpeechEnd),
                            format.durationOf(lastSpeechEnd - runStart)));
                    runStart = -1;
                }
            }
        }

        @Override
        public float probability() {
            return probability;
        }

        @Override
        public void close() {}
    }
}
