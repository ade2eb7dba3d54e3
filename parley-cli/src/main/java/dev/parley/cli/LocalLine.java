package dev.parley.cli;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.audio.WavAudio;
import dev.parley.spi.AudioSink;
import dev.parley.spi.CallInfo;
import dev.parley.spi.CallTransport;
import dev.parley.spi.TransportEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A phone line in memory for local calls: the caller's audio is paced by the wall clock ({@code speed} times real
 * time), the agent's audio is played by a simulated far-end buffer at the same rate, marks are echoed once the audio
 * before them has played and {@code clear} flushes the buffer (Twilio's semantics). Both sides are recorded on one
 * clock for a stereo WAV (caller left, agent right).
 */
final class LocalLine implements CallTransport {
    private final CallInfo info;
    private final int rate;
    private final double speed;
    private final long startNanos = System.nanoTime();
    private final LinkedBlockingQueue<TransportEvent> inbound = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private final ArrayDeque<Object> buffer = new ArrayDeque<>(); // AudioFrame or a mark name
    private final short[][] tracks = {new short[16000 * 60], new short[16000 * 60]};
    private final int[] trackLength = new int[2];
    private long playheadSample = -1; // timeline position (samples) where the next agent sample will play
    private volatile boolean closed;
    private volatile boolean agentHungUp;
    private volatile long lastAgentAudioNanos;
    private volatile long firstAgentWriteAfterNanos;
    private volatile long agentAudioWritten;
    private final Thread speaker;

    LocalLine(String callId, int rate, double speed) {
        this.info = CallInfo.of(callId);
        this.rate = rate;
        this.speed = speed;
        this.speaker = Thread.ofVirtual().name("local-line-speaker").start(this::speak);
    }

    @Override
    public CallInfo info() {
        return info;
    }

    @Override
    public AudioFormat inboundFormat() {
        return AudioFormat.pcm16(rate);
    }

    @Override
    public Optional<TransportEvent> next() {
        try {
            while (!closed || !inbound.isEmpty()) {
                TransportEvent e = inbound.poll(50, TimeUnit.MILLISECONDS);
                if (e != null) {
                    return Optional.of(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    @Override
    public AudioSink sink() {
        return sink;
    }

    @Override
    public void hangUp() {
        agentHungUp = true;
        inbound.add(new TransportEvent.HungUp("agent hung up"));
    }

    @Override
    public boolean transfer(String reason) {
        inbound.add(new TransportEvent.HungUp("transferred to a human"));
        return true;
    }

    @Override
    public void close() {
        closed = true;
        speaker.interrupt();
    }

    boolean agentHungUp() {
        return agentHungUp;
    }

    // ---- caller side ------------------------------------------------------------------------------------------

    /** Timeline position now, in samples. */
    private long nowSample() {
        return (long) ((System.nanoTime() - startNanos) * speed * rate / 1_000_000_000L);
    }

    /** Sends caller audio paced like a live caller; returns the wall time at which the last voiced frame was sent. */
    long send(List<AudioFrame> frames) {
        long voicedAt = 0;
        for (AudioFrame f : frames) {
            if (closed) {
                break;
            }
            long at = nowSample();
            record(0, at, f.samples());
            inbound.add(new TransportEvent.Media(f));
            if (f.levelDbfs() > -40) {
                voicedAt = System.nanoTime();
                firstAgentWriteAfterNanos = 0;
            }
            waitUntilSample(at + f.length());
        }
        return voicedAt;
    }

    void silence(Duration d) {
        int frame = rate / 50;
        long frames = d.toMillis() / 20;
        List<AudioFrame> list = new ArrayList<>();
        for (long i = 0; i < frames; i++) {
            list.add(new AudioFrame(new short[frame], rate));
        }
        send(list);
    }

    void pressKey(String digit) {
        inbound.add(new TransportEvent.Dtmf(digit));
    }

    void hangUpFromCaller() {
        inbound.add(new TransportEvent.HungUp("caller hung up"));
    }

    private void waitUntilSample(long sample) {
        long targetNanos = startNanos + (long) (sample * 1_000_000_000L / (rate * speed));
        long left;
        while ((left = targetNanos - System.nanoTime()) > 0 && !closed) {
            LockSupport.parkNanos(left);
        }
    }

    /** Wall time (nanoTime) of the first agent audio written after the caller's last voiced frame, or 0. */
    long firstAgentAudioAfterLastVoice() {
        return firstAgentWriteAfterNanos;
    }

    /** Whether the agent's buffer has been empty for at least {@code quiet}. */
    boolean agentQuietFor(Duration quiet) {
        synchronized (lock) {
            if (!buffer.isEmpty()) {
                return false;
            }
        }
        return (System.nanoTime() - lastAgentAudioNanos) * speed >= quiet.toNanos();
    }

    long agentAudioWrittenSamples() {
        return agentAudioWritten;
    }

    // ---- agent side -------------------------------------------------------------------------------------------

    private final AudioSink sink = new AudioSink() {
        @Override
        public int sampleRate() {
            return rate;
        }

        @Override
        public void write(AudioFrame frame) {
            synchronized (lock) {
                buffer.add(frame);
                agentAudioWritten += frame.length();
                if (firstAgentWriteAfterNanos == 0) {
                    firstAgentWriteAfterNanos = System.nanoTime();
                }
                lock.notifyAll();
            }
        }

        @Override
        public void mark(String name) {
            synchronized (lock) {
                buffer.add(name);
                lock.notifyAll();
            }
        }

        @Override
        public void clear() {
            synchronized (lock) {
                for (Object o : buffer) {
                    if (o instanceof String mark) {
                        inbound.add(new TransportEvent.MarkPlayed(mark));
                    }
                }
                buffer.clear();
                lock.notifyAll();
            }
        }
    };

    /** The far-end buffer: plays agent audio in real time (times speed), echoing marks as they are reached. */
    private void speak() {
        try {
            while (!closed) {
                Object next;
                synchronized (lock) {
                    while (buffer.isEmpty() && !closed) {
                        lock.wait();
                    }
                    next = buffer.poll();
                }
                if (next instanceof String mark) {
                    inbound.add(new TransportEvent.MarkPlayed(mark));
                } else if (next instanceof AudioFrame frame) {
                    long now = nowSample();
                    if (playheadSample < now) {
                        playheadSample = now;
                    }
                    record(1, playheadSample, frame.samples());
                    playheadSample += frame.length();
                    lastAgentAudioNanos = System.nanoTime();
                    waitUntilSample(playheadSample);
                    lastAgentAudioNanos = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(int track, long at, short[] samples) {
        synchronized (tracks) {
            int end = (int) Math.min(Integer.MAX_VALUE - 8, at + samples.length);
            if (end > tracks[track].length) {
                tracks[track] = java.util.Arrays.copyOf(tracks[track], Math.max(end, tracks[track].length * 2));
            }
            System.arraycopy(samples, 0, tracks[track], (int) at, samples.length);
            trackLength[track] = Math.max(trackLength[track], end);
        }
    }

    /** Both sides on one clock: caller left, agent right. */
    WavAudio recording() {
        synchronized (tracks) {
            int n = Math.max(trackLength[0], trackLength[1]);
            return WavAudio.stereo(java.util.Arrays.copyOf(tracks[0], n), java.util.Arrays.copyOf(tracks[1], n), rate);
        }
    }
}
