package dev.parley.twilio;

import dev.parley.audio.AudioFrame;
import dev.parley.testkit.TransportContract;
import dev.parley.twilio.TwilioMessage.Outbound;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Twilio's end of one Media Streams connection, in memory: a {@link TwilioSocket} that decodes what the
 * transport sends and keeps Twilio's playback model (audio plays at 8 bytes per millisecond of wall time,
 * a mark is echoed when the audio before it has played, {@code clear} echoes pending marks at once), and
 * a far end that sends caller audio, keys and {@code stop} through {@link TwilioTransport#onMessage}.
 */
final class FakeTwilioPeer implements TwilioSocket, TransportContract.FarEnd {
    static final String STREAM = "MZ00000000000000000000000000000001";
    static final String CALL = "CA00000000000000000000000000000001";
    static final String ACCOUNT = "AC00000000000000000000000000000001";

    private sealed interface Queued {}

    private record Audio(int bytes) implements Queued {}

    private record PendingMark(String name) implements Queued {}

    private final TwilioCodec codec = TwilioCodec.create();
    private final List<Outbound> received = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Queued> playback = new ArrayDeque<>();
    private final double speed;
    private TwilioTransport transport;
    private long sequence = 1;
    private long chunk;
    private volatile int closeCode = -1;
    private volatile String closeReason = "";
    private volatile boolean closed;
    private Thread player;

    FakeTwilioPeer(double speed) {
        this.speed = speed;
    }

    void attach(TwilioTransport t) {
        this.transport = t;
        player = Thread.ofPlatform().daemon().name("fake-twilio-playout").start(this::playOut);
    }

    /** Sends {@code connected} and {@code start} with the given custom parameters. */
    void start(Map<String, String> parameters) {
        transport.onMessage(codec.encode(new TwilioMessage.Connected("Call", "1.0.0")));
        send(seq -> new TwilioMessage.Start(seq, STREAM, ACCOUNT, CALL, List.of(TwilioMessage.Track.INBOUND),
                parameters, TwilioMessage.MediaFormat.MULAW_8K_MONO));
    }

    synchronized void send(java.util.function.LongFunction<TwilioMessage.Inbound> message) {
        transport.onMessage(codec.encode(message.apply(sequence++)));
    }

    /** Sends a raw text frame (malformed input), without using a sequence number. */
    void sendRaw(String text) {
        transport.onMessage(text);
    }

    @Override
    public void sendAudio(AudioFrame frame) {
        byte[] mulaw = TwilioAudio.toMulaw(frame);
        send(seq -> new TwilioMessage.Media(seq, STREAM, TwilioMessage.Track.INBOUND, ++chunk, chunk * 20, mulaw));
    }

    @Override
    public void pressKey(String digit) {
        send(seq -> new TwilioMessage.Dtmf(seq, STREAM, "inbound_track", digit));
    }

    @Override
    public void hangUp() {
        send(seq -> new TwilioMessage.Stop(seq, STREAM, ACCOUNT, CALL));
        closed = true;
        transport.onClose();
    }

    @Override
    public double playbackSpeed() {
        return speed;
    }

    // ---- TwilioSocket: what the transport sends ----------------------------------------------------------------

    @Override
    public void sendText(String text) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        Outbound message = codec.decodeOutbound(text);
        received.add(message);
        List<String> echo = new ArrayList<>();
        synchronized (playback) {
            switch (message) {
                case TwilioMessage.OutboundMedia m -> playback.add(new Audio(m.payload().length));
                case TwilioMessage.OutboundMark m -> playback.add(new PendingMark(m.name()));
                case TwilioMessage.Clear c -> {
                    for (Queued q : playback) {
                        if (q instanceof PendingMark(String name)) {
                            echo.add(name);
                        }
                    }
                    playback.clear();
                }
            }
            playback.notifyAll();
        }
        echo.forEach(this::echo);
    }

    @Override
    public void close(int code, String reason) {
        if (!closed) {
            closeCode = code;
            closeReason = reason;
            closed = true;
        }
        player.interrupt();
    }

    private void echo(String name) {
        if (!closed) {
            send(seq -> new TwilioMessage.Mark(seq, STREAM, name));
        }
    }

    /** Plays queued audio in (scaled) real time, echoing marks as they reach the head of the queue. */
    private void playOut() {
        double bytesPerNano = 8.0 * speed / 1_000_000;
        double credit = 0;
        long last = System.nanoTime();
        try {
            while (!closed) {
                String mark = null;
                synchronized (playback) {
                    if (playback.isEmpty()) {
                        playback.wait(50);
                        last = System.nanoTime();
                        credit = 0;
                        continue;
                    }
                    long now = System.nanoTime();
                    credit += (now - last) * bytesPerNano;
                    last = now;
                    Queued head = playback.peek();
                    if (head instanceof PendingMark(String name)) {
                        playback.poll();
                        mark = name;
                    } else if (head instanceof Audio(int bytes) && credit >= bytes) {
                        playback.poll();
                        credit -= bytes;
                    } else {
                        playback.wait(5);
                    }
                }
                if (mark != null) {
                    echo(mark);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Outbound> received() {
        return List.copyOf(received);
    }

    <T extends Outbound> List<T> received(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    boolean isClosed() {
        return closed;
    }
}
