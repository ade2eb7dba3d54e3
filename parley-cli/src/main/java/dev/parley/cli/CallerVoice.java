package dev.parley.cli;

import dev.parley.audio.AudioFrame;
import dev.parley.localtts.LocalTts;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A synthetic caller: FreeTTS speech for scripted caller turns (demo, tests, benchmarks). */
public final class CallerVoice {
    private CallerVoice() {}

    /** Speaks {@code text} at {@code rate} as 20 ms frames. */
    public static List<AudioFrame> speak(String text, int rate) {
        List<short[]> chunks = new ArrayList<>();
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
        return LocalCall.frames(all, rate);
    }
}
