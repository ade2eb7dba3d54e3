package dev.parley.localtts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsStream;
import dev.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Everything a stream delivered until its end, read on a virtual thread with a time limit. */
record Recorded(List<TtsEvent> events, Duration firstAudioAfter) {
    static final Duration LIMIT = Duration.ofSeconds(20);

    /** Reads {@code stream} to its end; the clock for {@link #firstAudioAfter()} starts now. */
    static Recorded readToEnd(TtsStream stream) {
        long start = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Recorded> future = executor.submit(() -> {
                List<TtsEvent> events = new ArrayList<>();
                long first = -1;
                for (Optional<TtsEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                    if (first < 0 && e.get() instanceof TtsEvent.Audio) {
                        first = System.nanoTime() - start;
                    }
                    events.add(e.get());
                }
                return new Recorded(events, Duration.ofNanos(Math.max(0, first)));
            });
            return future.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            stream.close();
            throw new AssertionError("stream did not end within " + LIMIT, e);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    List<AudioFrame> frames() {
        return events.stream().filter(TtsEvent.Audio.class::isInstance).map(e -> ((TtsEvent.Audio) e).frame()).toList();
    }

    List<WordTiming> words() {
        return events.stream().filter(TtsEvent.Words.class::isInstance)
                .flatMap(e -> ((TtsEvent.Words) e).words().stream()).toList();
    }

    short[] samples() {
        List<AudioFrame> frames = frames();
        short[] all = new short[frames.stream().mapToInt(AudioFrame::length).sum()];
        int at = 0;
        for (AudioFrame f : frames) {
            System.arraycopy(f.samples(), 0, all, at, f.length());
            at += f.length();
        }
        return all;
    }

    Duration audioDuration() {
        return frames().stream().map(AudioFrame::duration).reduce(Duration.ZERO, Duration::plus);
    }

    long flushedCount() {
        return events.stream().filter(TtsEvent.Flushed.class::isInstance).count();
    }

    /** RMS level over the whole audio in dBFS. */
    double levelDbfs() {
        return new AudioFrame(samples(), frames().getFirst().sampleRate()).levelDbfs();
    }

    /** Checks the frames: all at {@code rate}, full 20 ms frames except the last before a Flushed or the end. */
    void assertFramesAt(int rate) {
        List<AudioFrame> frames = frames();
        assertThat(frames).isNotEmpty().allSatisfy(f -> assertThat(f.sampleRate()).isEqualTo(rate));
        assertThat(frames).allSatisfy(f -> assertThat(f.length()).isBetween(1, rate / 50));
        long full = frames.stream().filter(f -> f.length() == rate / 50).count();
        assertThat(full).isGreaterThanOrEqualTo(frames.size() - flushedCount() - 1);
    }
}
