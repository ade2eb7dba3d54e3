package dev.parley.localtts;

import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.Utterance;
import com.sun.speech.freetts.UtteranceProcessor;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.audio.AudioPlayer;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import dev.parley.ParleyException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sound.sampled.AudioFormat;
import org.jspecify.annotations.Nullable;

/**
 * One allocated FreeTTS kevin16 voice (16 kHz diphone). A FreeTTS {@link Voice} is not
 * thread-safe, but separate instances are independent, so a pool of these runs in parallel.
 *
 * <p>Audio is captured by an {@link AudioPlayer} that forwards each {@code write} (FreeTTS writes
 * 1024-byte, 32 ms blocks, big-endian) to the current sink. Word timings come from the utterance
 * itself: a processor appended after FreeTTS's own reads, per source token ("$12.50"), the end time
 * of the segment before its first word and of its last word's last segment; FreeTTS's diphone
 * units are placed at exactly those times, so the marks are sample-accurate. FreeTTS runs its
 * processors on the calling thread and the audio on its own output thread, utterance after
 * utterance, so the marks travel to the player through a FIFO.
 */
final class FreeTtsVoice implements Synthesizer {
    static final String NAME = "kevin16";
    private static final int RATE = 16_000;

    private final Voice voice;
    private final ConcurrentLinkedQueue<List<SynthesisSink.WordMark>> marks = new ConcurrentLinkedQueue<>();
    private volatile @Nullable SynthesisSink sink;

    FreeTtsVoice() {
        Voice found = null;
        for (Voice v : new KevinVoiceDirectory().getVoices()) {
            if (v.getName().equals(NAME)) {
                found = v;
            }
        }
        if (found == null) {
            throw new ParleyException("FreeTTS voice " + NAME + " is missing from the classpath");
        }
        voice = found;
        voice.allocate();
        voice.setAudioPlayer(new Player());
        @SuppressWarnings("unchecked")
        List<UtteranceProcessor> processors = voice.getUtteranceProcessors();
        processors.add(this::recordMarks);
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public void synthesize(String text, String voiceName, SynthesisSink target) {
        String spoken = TextNormalizer.forFreeTts(text);
        if (spoken.isBlank()) {
            return;
        }
        marks.clear();
        sink = target;
        try {
            boolean ok = voice.speak(spoken);
            if (!ok && !target.cancelled()) {
                throw new ParleyException("FreeTTS could not synthesise a sentence");
            }
        } finally {
            sink = null;
        }
    }

    void deallocate() {
        voice.deallocate();
    }

    /** Runs on the caller's thread after FreeTTS's own processors, once per utterance. */
    private void recordMarks(Utterance utterance) {
        List<SynthesisSink.WordMark> out = new ArrayList<>();
        try {
            Relation tokens = utterance.getRelation(Relation.TOKEN);
            for (Item token = tokens == null ? null : tokens.getHead(); token != null; token = token.getNext()) {
                float start = Float.MAX_VALUE;
                float end = -1;
                for (Item word = token.getDaughter(); word != null; word = word.getNext()) {
                    Item structure = word.getItemAs(Relation.SYLLABLE_STRUCTURE);
                    Item firstSyllable = structure == null ? null : structure.getDaughter();
                    Item lastSyllable = structure == null ? null : structure.getLastDaughter();
                    Item first = firstSyllable == null ? null : firstSyllable.getDaughter();
                    Item last = lastSyllable == null ? null : lastSyllable.getLastDaughter();
                    if (first == null || last == null) {
                        continue; // a silent word such as ":" in "3:30"
                    }
                    Item before = first.getItemAs(Relation.SEGMENT).getPrevious();
                    start = Math.min(start, before == null ? 0 : before.getFeatures().getFloat("end"));
                    end = Math.max(end, last.getFeatures().getFloat("end"));
                }
                if (end >= 0) {
                    out.add(new SynthesisSink.WordMark(token.toString(),
                            Math.round(start * RATE), Math.round(Math.max(start, end) * RATE)));
                }
            }
        } catch (RuntimeException e) {
            out.clear(); // timings are a bonus; never fail the audio for them
        }
        marks.add(out);
    }

    /** Receives FreeTTS's output on its output thread and forwards it to the current sink. */
    private final class Player implements AudioPlayer {
        private @Nullable AudioFormat format;
        private int odd = -1;

        @Override
        public void begin(int size) {
            SynthesisSink s = sink;
            odd = -1;
            List<SynthesisSink.WordMark> m = marks.poll();
            if (s != null) {
                s.utteranceStart();
                if (m != null) {
                    s.words(m);
                }
            }
        }

        @Override
        public boolean write(byte[] audio) {
            return write(audio, 0, audio.length);
        }

        @Override
        public boolean write(byte[] audio, int offset, int length) {
            SynthesisSink s = sink;
            if (s == null || s.cancelled()) {
                return false;
            }
            int start = offset;
            int end = offset + length;
            boolean bigEndian = format == null || format.isBigEndian();
            short[] samples = new short[(length + (odd >= 0 ? 1 : 0)) / 2];
            int n = 0;
            if (odd >= 0 && start < end) {
                samples[n++] = sample(odd, audio[start++] & 0xff, bigEndian);
                odd = -1;
            }
            for (; start + 1 < end; start += 2) {
                samples[n++] = sample(audio[start] & 0xff, audio[start + 1] & 0xff, bigEndian);
            }
            if (start < end) {
                odd = audio[start] & 0xff;
            }
            s.audio(n == samples.length ? samples : java.util.Arrays.copyOf(samples, n));
            return true;
        }

        private static short sample(int b0, int b1, boolean bigEndian) {
            return (short) (bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0);
        }

        @Override
        public void setAudioFormat(AudioFormat audioFormat) {
            if ((int) audioFormat.getSampleRate() != RATE || audioFormat.getSampleSizeInBits() != 16
                    || audioFormat.getChannels() != 1) {
                throw new ParleyException("unexpected FreeTTS audio format " + audioFormat);
            }
            format = audioFormat;
        }

        @Override
        public AudioFormat getAudioFormat() {
            AudioFormat f = format;
            return f != null ? f : new AudioFormat(RATE, 16, 1, true, true);
        }

        @Override
        public boolean end() {
            return true;
        }

        @Override
        public boolean drain() {
            return true;
        }

        @Override
        public void pause() {}

        @Override
        public void resume() {}

        @Override
        public void reset() {}

        @Override
        public void cancel() {}

        @Override
        public void close() {}

        @Override
        public float getVolume() {
            return 1f;
        }

        @Override
        public void setVolume(float volume) {}

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public void resetTime() {}

        @Override
        public void startFirstSampleTimer() {}

        @Override
        public void showMetrics() {}
    }
}
