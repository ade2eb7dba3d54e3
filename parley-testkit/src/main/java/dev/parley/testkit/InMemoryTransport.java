package dev.parley.testkit;

import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.AudioSink;
import dev.parley.spi.CallInfo;
import dev.parley.spi.CallTransport;
import dev.parley.spi.TransportEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A call in memory. The agent sees a {@link CallTransport}; the test drives the caller's side
 * ({@link #sendAudio}, {@link #speak}, {@link #pressKey}, {@link #hangUpFromCaller}) and inspects the
 * far end, which plays the agent's audio like Twilio's buffer: back to back at {@code speed} times
 * real time, echoing a mark once the audio written before it has played, and on {@code clear}
 * dropping unplayed audio and echoing every pending mark at once. Every sink operation is logged
 * with the time of one injectable clock. The {@code await*} helpers throw {@link AssertionError}
 * on timeout.
 *
 * <pre>{@code
 * var call = InMemoryTransport.builder().sampleRate(8000).speed(20).build();
 * var session = agent.call(call);
 * call.speak(Duration.ofMillis(800), Duration.ofMillis(600));   // blocks ~70 ms at 20x
 * call.awaitMarks(1, Duration.ofSeconds(5));
 * }</pre>
 */
public final class InMemoryTransport implements CallTransport {
    private final CallInfo info;
    private final AudioFormat inbound;
    private final int outboundRate;
    private final InstantSource clock;
    private final double speed;
    private final boolean canTransfer;
    private final EventChannel<TransportEvent> events = new EventChannel<>(Fault.none());
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    private final Playback playback;
    final List<SinkOp> log = new ArrayList<>();
    final List<MarkEcho> echoes = new ArrayList<>();
    private final Sink sink = new Sink();
    private final FarEndLog farEnd = new FarEndLog(this);
    private Duration callerAudio = Duration.ZERO;
    private Optional<Instant> lastCallerAudio = Optional.empty();
    private Optional<Instant> lastVoicedCallerAudio = Optional.empty();
    private boolean closed;
    private boolean callerHungUp;
    private boolean agentHungUp;

    private InMemoryTransport(Builder b) {
        this.info = b.info;
        this.inbound = AudioFormat.pcm16(b.inboundRate);
        this.outboundRate = b.outboundRate;
        this.clock = b.clock;
        this.speed = b.speed;
        this.canTransfer = b.transferSupported;
        this.playback = new Playback(b.speed);
        Thread.ofVirtual().name("in-memory-playback-" + info.callId()).start(this::playLoop);
    }

    /** 8 kHz both ways, real-time playback, the system clock, call id "test-call". */
    public static InMemoryTransport create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void playLoop() {
        lock.lock();
        try {
            while (!stopped()) {
                Instant now = clock.instant();
                echo(playback.advance(now), false, now);
                Optional<Instant> next = playback.nextChange();
                if (next.isEmpty()) {
                    changed.await();
                } else {
                    long wait = Duration.between(now, next.get()).toNanos();
                    if (wait > 0) {
                        changed.awaitNanos(wait);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private boolean stopped() {
        return closed || callerHungUp || agentHungUp;
    }

    /** Under lock: report marks as played. */
    private void echo(List<String> names, boolean byClear, Instant at) {
        for (String n : names) {
            echoes.add(new MarkEcho(n, at, byClear));
            events.offer(new TransportEvent.MarkPlayed(n));
        }
        if (!names.isEmpty()) {
            changed.signalAll();
        }
    }

    /** Under lock: play what is due now. */
    private Instant sync() {
        Instant now = clock.instant();
        if (!stopped()) {
            echo(playback.advance(now), false, now);
        }
        return now;
    }

    // ---- agent side -------------------------------------------------------------------------

    @Override
    public CallInfo info() {
        return info;
    }

    @Override
    public AudioFormat inboundFormat() {
        return inbound;
    }

    @Override
    public AudioSink sink() {
        return sink;
    }

    @Override
    public Optional<TransportEvent> next() {
        return events.next();
    }

    @Override
    public boolean transfer(String reason) {
        withLock(() -> {
            log.add(new SinkOp.Transfer(clock.instant(), reason));
            changed.signalAll();
            return null;
        });
        return canTransfer;
    }

    @Override
    public void hangUp() {
        withLock(() -> {
            if (!agentHungUp) {
                Instant now = sync();
                Duration unplayed = playback.unplayed(now);
                playback.clear(now);
                agentHungUp = true;
                log.add(new SinkOp.HangUp(now, unplayed));
                events.end();
                changed.signalAll();
            }
            return null;
        });
    }

    @Override
    public void close() {
        withLock(() -> {
            closed = true;
            events.close();
            changed.signalAll();
            return null;
        });
    }

    private final class Sink implements AudioSink {
        @Override
        public int sampleRate() {
            return outboundRate;
        }

        @Override
        public void write(AudioFrame frame) {
            if (frame.sampleRate() != outboundRate) {
                throw new IllegalArgumentException("frame at " + frame.sampleRate() + " Hz, sink at " + outboundRate);
            }
            withLock(() -> {
                Instant now = sync();
                log.add(new SinkOp.Write(now, frame));
                if (!stopped()) {
                    echo(playback.write(frame, now), false, now);
                }
                changed.signalAll();
                return null;
            });
        }

        @Override
        public void mark(String name) {
            withLock(() -> {
                Instant now = sync();
                log.add(new SinkOp.Mark(now, name));
                if (!stopped()) {
                    echo(playback.mark(name, now), false, now);
                }
                changed.signalAll();
                return null;
            });
        }

        @Override
        public void clear() {
            withLock(() -> {
                Instant now = sync();
                if (stopped()) {
                    log.add(new SinkOp.Clear(now, Duration.ZERO));
                } else {
                    Playback.Cut cut = playback.clear(now);
                    log.add(new SinkOp.Clear(now, cut.dropped()));
                    echo(cut.marks(), false, now);
                    echo(cut.releasedMarks(), true, now);
                }
                changed.signalAll();
                return null;
            });
        }
    }

    // ---- caller side ------------------------------------------------------------------------

    /** Sends caller audio now (each frame a Media event), at the inbound rate. */
    public void sendAudio(AudioFrame... frames) {
        sendAudio(List.of(frames));
    }

    public void sendAudio(List<AudioFrame> frames) {
        for (AudioFrame f : frames) {
            sendOne(f);
        }
    }

    private void sendOne(AudioFrame f) {
        if (f.sampleRate() != inbound.sampleRate()) {
            throw new IllegalArgumentException("frame at " + f.sampleRate() + " Hz, call at " + inbound.sampleRate());
        }
        withLock(() -> {
            if (callerHungUp || closed) {
                return null;
            }
            Instant now = clock.instant();
            callerAudio = callerAudio.plus(f.duration());
            lastCallerAudio = Optional.of(now);
            if (TestAudio.isVoiced(f)) {
                lastVoicedCallerAudio = Optional.of(now);
            }
            events.offer(new TransportEvent.Media(f));
            return null;
        });
    }

    /**
     * Sends caller audio paced like a live caller: each frame when its predecessors would have been
     * spoken, at {@code speed} times real time. Blocks until sent; returns early if the call ends.
     */
    public void sendAudioPaced(List<AudioFrame> frames) {
        long start = System.nanoTime();
        long offset = 0;
        for (AudioFrame f : frames) {
            if (!waitUntil(start + (long) (offset / speed))) {
                return;
            }
            sendOne(f);
            offset += f.duration().toNanos();
        }
        waitUntil(start + (long) (offset / speed));
    }

    /** Speaks voiced audio for {@code speech}, paced, then returns. */
    public void speak(Duration speech) {
        sendAudioPaced(TestAudio.voiced(speech, inbound.sampleRate()));
    }

    /** Speaks voiced audio for {@code speech} then silence for {@code trailingSilence}, paced. */
    public void speak(Duration speech, Duration trailingSilence) {
        sendAudioPaced(TestAudio.utterance(speech, trailingSilence, inbound.sampleRate()));
    }

    /** Sends silence for {@code duration}, paced (a caller who is listening). */
    public void silence(Duration duration) {
        sendAudioPaced(TestAudio.silence(duration, inbound.sampleRate()));
    }

    /** {@link #sendAudioPaced} on a virtual thread; completes when the audio is sent. */
    public CompletableFuture<Void> sendAudioPacedAsync(List<AudioFrame> frames) {
        var done = new CompletableFuture<Void>();
        Thread.ofVirtual().name("in-memory-caller").start(() -> {
            try {
                sendAudioPaced(frames);
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private boolean waitUntil(long deadlineNanos) {
        lock.lock();
        try {
            long left;
            while (!callerHungUp && !closed && (left = deadlineNanos - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
            return !callerHungUp && !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The caller presses a key (0-9, *, #, A-D). */
    public void pressKey(String digit) {
        if (!digit.matches("[0-9*#A-D]")) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        withLock(() -> events.offer(new TransportEvent.Dtmf(digit)));
    }

    /** The caller hangs up: a HungUp event, then the end of the stream; playback stops. */
    public void hangUpFromCaller() {
        withLock(() -> {
            if (!callerHungUp && !closed) {
                events.offer(new TransportEvent.HungUp("caller hung up"));
                events.end();
                callerHungUp = true;
                changed.signalAll();
            }
            return null;
        });
    }

    // ---- inspection -------------------------------------------------------------------------

    public InstantSource clock() {
        return clock;
    }

    /** Playback speed (and caller pacing) relative to real time. */
    public double speed() {
        return speed;
    }

    /** The far end's record: log, marks, played audio, and waits. */
    public FarEndLog farEnd() {
        return farEnd;
    }

    /** See {@link FarEndLog#awaitMarks}. */
    public List<MarkEcho> awaitMarks(int n, Duration timeout) {
        return farEnd.awaitMarks(n, timeout);
    }

    /** See {@link FarEndLog#awaitMark}. */
    public MarkEcho awaitMark(String name, Duration timeout) {
        return farEnd.awaitMark(name, timeout);
    }

    /** See {@link FarEndLog#awaitClear}. */
    public SinkOp.Clear awaitClear(Duration timeout) {
        return farEnd.awaitClear(timeout);
    }

    /** See {@link FarEndLog#awaitWrites}. */
    public List<SinkOp.Write> awaitWrites(int n, Duration timeout) {
        return farEnd.awaitWrites(n, timeout);
    }

    /** See {@link FarEndLog#awaitPlaybackIdle}. */
    public void awaitPlaybackIdle(Duration timeout) {
        farEnd.awaitPlaybackIdle(timeout);
    }

    /** See {@link FarEndLog#awaitAgentHangUp}. */
    public SinkOp.HangUp awaitAgentHangUp(Duration timeout) {
        return farEnd.awaitAgentHangUp(timeout);
    }

    public List<SinkOp> sinkLog() {
        return farEnd.sinkLog();
    }

    public List<MarkEcho> markEchoes() {
        return farEnd.markEchoes();
    }

    /** Audio the caller has heard, in order; a frame cut by clear or hang-up appears truncated. */
    public List<AudioFrame> playedAudio() {
        return withLock(() -> {
            sync();
            return playback.played();
        });
    }

    public Duration playedDuration() {
        return withLock(() -> {
            sync();
            return playback.playedDuration();
        });
    }

    /** Audio discarded by clears and by the agent's hang-up. */
    public Duration droppedDuration() {
        return withLock(playback::droppedDuration);
    }

    /** Audio written and not yet played. */
    public Duration unplayedDuration() {
        return withLock(() -> playback.unplayed(sync()));
    }

    /** Caller audio sent so far (the caller's stream time). */
    public Duration callerAudioSent() {
        return withLock(() -> callerAudio);
    }

    /** When the last caller frame was sent. */
    public Optional<Instant> lastCallerAudioAt() {
        return withLock(() -> lastCallerAudio);
    }

    /** When the last voiced caller frame (above -40 dBFS) was sent. */
    public Optional<Instant> lastVoicedCallerAudioAt() {
        return withLock(() -> lastVoicedCallerAudio);
    }

    public boolean agentHungUp() {
        return withLock(() -> agentHungUp);
    }

    public boolean callerHungUp() {
        return withLock(() -> callerHungUp);
    }

    public boolean closed() {
        return withLock(() -> closed);
    }

    <R> R withLock(java.util.function.Supplier<R> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** Waits, up to {@code timeout}, for {@code probe} (run under the transport lock) to return a value. */
    <R> R await(Function<Instant, Optional<R>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Optional<R> r = probe.apply(sync());
                if (r.isPresent()) {
                    return r.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                            + "; sink log: " + FarEndLog.summary(log) + "; mark echoes: " + echoes);
                }
                // wake at the next playback change too, so waits on "played" see it on time
                long wait = playback.nextChange().map(t -> Duration.between(clock.instant(), t).toNanos())
                        .filter(n -> n > 0).map(n -> Math.min(n, left)).orElse(left);
                changed.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    boolean playbackIdle() {
        return playback.idle();
    }

    /** Builder. Defaults: call "test-call", 8 kHz both ways, speed 1.0, system clock, transfer supported. */
    public static final class Builder {
        private CallInfo info = CallInfo.of("test-call");
        private int inboundRate = 8000;
        private int outboundRate = 8000;
        private InstantSource clock = InstantSource.system();
        private double speed = 1.0;
        private boolean transferSupported = true;

        private Builder() {}

        public Builder info(CallInfo info) {
            this.info = info;
            return this;
        }

        public Builder callId(String callId) {
            this.info = new CallInfo(callId, info.from(), info.to(), info.parameters());
            return this;
        }

        /** Both the inbound (caller) and the sink (agent) rate. */
        public Builder sampleRate(int rate) {
            AudioFormat.pcm16(rate);
            this.inboundRate = rate;
            this.outboundRate = rate;
            return this;
        }

        public Builder inboundSampleRate(int rate) {
            AudioFormat.pcm16(rate);
            this.inboundRate = rate;
            return this;
        }

        public Builder sinkSampleRate(int rate) {
            AudioFormat.pcm16(rate);
            this.outboundRate = rate;
            return this;
        }

        /** Playback and paced caller audio run this many times faster than real time. Default 1. */
        public Builder speed(double speed) {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be > 0: " + speed);
            }
            this.speed = speed;
            return this;
        }

        /** The clock of the sink log; it must advance at the real rate (it drives playback). */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** What {@code transfer} returns (it is recorded either way). Default true. */
        public Builder transferSupported(boolean supported) {
            this.transferSupported = supported;
            return this;
        }

        public InMemoryTransport build() {
            return new InMemoryTransport(this);
        }
    }
}
