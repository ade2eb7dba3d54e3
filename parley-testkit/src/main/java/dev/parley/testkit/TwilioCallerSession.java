package dev.parley.testkit;

import dev.parley.ParleyException;
import dev.parley.audio.G711;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Media Streams connection: the caller's 20 ms tick loop (script, media, playback clock,
 * recording) on the thread that calls {@link #run}, and the WebSocket listener that queues agent
 * audio and echoes marks. Timestamps are {@link System#nanoTime()}; measurement happens after the
 * call in {@link TwilioCallerMeasure}.
 */
final class TwilioCallerSession implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioCallerSession.class);
    static final long TICK = 20_000_000L;
    private static final long DTMF_SPACING = 200_000_000L;
    private static final long SEND_TIMEOUT_MS = 5_000;
    private static final byte[] SILENCE = filled(TwilioCallerAudio.SILENCE);

    private final TwilioCallerSimulator sim;
    private final String streamSid;
    private final Map<String, String> parameters;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    // guarded by sendLock
    private WebSocket socket;
    private long sequence;
    private boolean outputBroken;

    // guarded by stateLock
    private final TwilioCallerPlayback playback = new TwilioCallerPlayback();
    final TwilioCallerMeasure.Longs mediaAt = new TwilioCallerMeasure.Longs();
    final TwilioCallerMeasure.Longs mediaSamples = new TwilioCallerMeasure.Longs();
    final TwilioCallerMeasure.Longs clearsAt = new TwilioCallerMeasure.Longs();
    int marksReceived;
    final List<String> marksEchoed = new ArrayList<>();

    private volatile boolean hangingUp;
    private volatile boolean serverClosed;

    // tick thread only
    long t0;
    final TwilioCallerMeasure.Longs frameSentAt = new TwilioCallerMeasure.Longs();
    final List<TwilioCallerMeasure.TurnLog> turns = new ArrayList<>();
    final StringBuilder dtmfSent = new StringBuilder();
    long maxLateness;
    private short[] left = new short[0];
    private short[] right = new short[0];
    private int recorded;

    TwilioCallerSession(TwilioCallerSimulator sim, String streamSid, Map<String, String> parameters) {
        this.sim = sim;
        this.streamSid = streamSid;
        this.parameters = parameters;
    }

    // ---- the caller: script and media ticks ----

    TwilioCallerResult run(WebSocket ws, String twiml) {
        sendLock.lock();
        try {
            socket = ws;
        } finally {
            sendLock.unlock();
        }
        boolean interrupted = false;
        long end;
        try {
            send(seq -> TwilioCallerWire.connected(), false);
            t0 = send(seq -> TwilioCallerWire.start(seq, streamSid, sim.accountSid, sim.callSid, parameters), true);
            try {
                interrupted = loop();
            } catch (RuntimeException e) {
                errors.add("simulator failed: " + e);
                LOG.warn("caller simulator failed", e);
            }
            end = System.nanoTime();
            if (!serverClosed && !hangingUp) {
                hangUp();
            }
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // the server did not finish the closing handshake: abort below
            } catch (InterruptedException e) {
                interrupted = true;
            }
        } finally {
            ws.abort();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        stateLock.lock();
        try {
            return TwilioCallerMeasure.result(this, twiml, parameters, end, playback.playedSamples(),
                    hangingUp && !serverClosed, serverClosed, sim.record ? Arrays.copyOf(left, recorded) : new short[0],
                    sim.record ? Arrays.copyOf(right, recorded) : new short[0]);
        } finally {
            stateLock.unlock();
        }
    }

    /** The tick loop; returns whether it was interrupted. */
    private boolean loop() {
        var script = new TwilioCallerScript(sim.steps, t0);
        TwilioCallerAudio speaking = null;
        int pos = 0;
        TwilioCallerMeasure.TurnLog turn = null;
        String digits = "";
        int digit = 0;
        long nextDigitAt = 0;
        long maxTicks = sim.maxDuration.toNanos() / TICK;
        for (long k = 0; ; k++) {
            long now = t0 + k * TICK;
            for (long wait; (wait = now - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    errors.add("interrupted: the caller hung up early");
                    hangUp();
                    return true;
                }
            }
            maxLateness = Math.max(maxLateness, System.nanoTime() - now);
            if (closed.isDone()) {
                return false;
            }
            if (k >= maxTicks) {
                errors.add("the call reached the maximum duration " + sim.maxDuration + ": the caller hung up");
                hangUp();
                return false;
            }
            // the playback buffer plays [now, now + TICK)
            TwilioCallerPlayback.Tick tick;
            boolean idle;
            long lastReceived;
            stateLock.lock();
            try {
                tick = playback.tick(TwilioCallerAudio.FRAME_SAMPLES);
                echo(tick.echoes());
                idle = playback.idle();
                lastReceived = mediaAt.size() == 0 ? Long.MIN_VALUE : mediaAt.last();
            } finally {
                stateLock.unlock();
            }
            script.played(now, TICK, tick.played());
            // the script: start the next step when nothing is in progress and its condition holds
            if (speaking == null && digits.isEmpty()) {
                var step = script.due(now, idle, lastReceived, errors);
                if (step.isPresent()) {
                    switch (step.get()) {
                        case TwilioCallerSimulator.Say say -> {
                            speaking = say.audio();
                            pos = 0;
                            turn = new TwilioCallerMeasure.TurnLog(turns.size(), (int) k, !idle);
                            turns.add(turn);
                        }
                        case TwilioCallerSimulator.Dtmf d -> {
                            digits = d.digits();
                            digit = 0;
                            nextDigitAt = now;
                        }
                        case TwilioCallerSimulator.HangUp h -> {
                            hangUp();
                            return false;
                        }
                    }
                }
            }
            if (!digits.isEmpty() && now >= nextDigitAt) {
                char d = digits.charAt(digit++);
                long at = send(seq -> TwilioCallerWire.dtmf(seq, streamSid, d), true);
                dtmfSent.append(d);
                nextDigitAt = now + DTMF_SPACING;
                if (digit == digits.length()) {
                    digits = "";
                    script.ended(at);
                }
            }
            byte[] frame = SILENCE;
            if (speaking != null) {
                frame = speaking.frames().get(pos);
                if (speaking.voiced()[pos]) {
                    turn.voiced((int) k);
                }
                pos++;
            }
            final byte[] payload = frame;
            final long chunk = k + 1;
            final long timestamp = k * TICK / 1_000_000;
            long sentAt = send(seq -> TwilioCallerWire.media(seq, streamSid, chunk, timestamp, payload), true);
            frameSentAt.add(sentAt);
            if (speaking != null && pos == speaking.length()) {
                turn.end((int) k);
                speaking = null;
                script.ended(sentAt);
            }
            if (sim.record) {
                record(frame, tick.block());
            }
        }
    }

    private void record(byte[] caller, byte[] agent) {
        if (recorded + caller.length > left.length) {
            int size = Math.max(8000, left.length * 2);
            left = Arrays.copyOf(left, size);
            right = Arrays.copyOf(right, size);
        }
        G711.decode(caller, 0, left, recorded, caller.length, dev.parley.audio.AudioFormat.Encoding.MULAW);
        G711.decode(agent, 0, right, recorded, agent.length, dev.parley.audio.AudioFormat.Encoding.MULAW);
        recorded += caller.length;
    }

    private void hangUp() {
        if (hangingUp || closed.isDone()) {
            return;
        }
        hangingUp = true;
        send(seq -> TwilioCallerWire.stop(seq, streamSid, sim.accountSid, sim.callSid), true);
        sendLock.lock();
        try {
            if (!outputBroken) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            outputBroken = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sendLock.unlock();
        }
    }

    /** Echoes marks, in order (called with stateLock held). */
    private void echo(List<String> names) {
        for (String name : names) {
            send(seq -> TwilioCallerWire.mark(seq, streamSid, name), true);
            marksEchoed.add(name);
        }
    }

    /**
     * Sends one message, numbering it if {@code numbered}; returns the {@code nanoTime} it was handed
     * to the socket. Once a send has failed nothing more is sent.
     */
    private long send(java.util.function.LongFunction<String> message, boolean numbered) {
        sendLock.lock();
        try {
            if (outputBroken || closed.isDone()) {
                return System.nanoTime();
            }
            String json = message.apply(numbered ? ++sequence : 0);
            long at = System.nanoTime();
            socket.sendText(json, true).get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return at;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            outputBroken = true;
            if (!closed.isDone()) {
                errors.add("sending to the server failed: " + (e.getCause() == null ? e : e.getCause()));
            }
            return System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.nanoTime();
        } finally {
            sendLock.unlock();
        }
    }

    // ---- the server's messages (WebSocket listener) ----

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            handle(text, System.nanoTime());
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String text, long now) {
        TwilioCallerWire.Inbound message;
        try {
            message = TwilioCallerWire.parse(text, streamSid);
        } catch (ParleyException e) {
            errors.add(e.getMessage());
            return;
        }
        stateLock.lock();
        try {
            switch (message) {
                case TwilioCallerWire.Inbound.Media(var mulaw) -> {
                    mediaAt.add(now);
                    mediaSamples.add(mulaw.length);
                    playback.audio(mulaw);
                }
                case TwilioCallerWire.Inbound.Mark(var name) -> {
                    marksReceived++;
                    echo(playback.mark(name));
                }
                case TwilioCallerWire.Inbound.Clear() -> {
                    clearsAt.add(now);
                    echo(playback.clear());
                }
            }
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (last) {
            errors.add("server sent a binary frame: Twilio expects JSON text frames");
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!hangingUp) {
            serverClosed = true;
        }
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!hangingUp) {
            serverClosed = true;
            errors.add("WebSocket error: " + error);
        }
        closed.complete(null);
    }

    Duration sinceStart(long nanos) {
        return Duration.ofNanos(nanos - t0);
    }

    private static byte[] filled(byte value) {
        byte[] b = new byte[TwilioCallerAudio.FRAME_SAMPLES];
        Arrays.fill(b, value);
        return b;
    }
}
