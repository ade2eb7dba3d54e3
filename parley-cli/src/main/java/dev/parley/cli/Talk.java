package dev.parley.cli;

import dev.parley.CallSession;
import dev.parley.audio.AudioFormat;
import dev.parley.audio.AudioFrame;
import dev.parley.spi.AudioSink;
import dev.parley.spi.CallInfo;
import dev.parley.spi.CallTransport;
import dev.parley.spi.TransportEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/** {@code parley talk}: the ordering agent on the machine's microphone and speakers. */
final class Talk {
    private static final int RATE = 16000;

    private Talk() {}

    static int run(PrintStream out) throws Exception {
        javax.sound.sampled.AudioFormat format = new javax.sound.sampled.AudioFormat(RATE, 16, 1, true, false);
        TargetDataLine mic;
        SourceDataLine speaker;
        try {
            mic = (TargetDataLine) AudioSystem.getLine(new DataLine.Info(TargetDataLine.class, format));
            speaker = (SourceDataLine) AudioSystem.getLine(new DataLine.Info(SourceDataLine.class, format));
            mic.open(format, RATE / 5);
            speaker.open(format, RATE);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            out.println("No sound device: 'parley talk' needs a microphone and speakers, and none could be opened ("
                    + e.getMessage() + ").");
            out.println("Without one, try './parley demo' or './parley call <caller.wav>...'.");
            return 3;
        }
        out.println("Loading the embedded stack...");
        OfflineOrdering stack = OfflineOrdering.create(1);
        MicLine line = new MicLine(mic, speaker);
        CallSession session = stack.agent().call(line, e -> { });
        out.println("Talk to Tony's Pizza (Ctrl-C to end).");
        mic.start();
        speaker.start();
        byte[] buf = new byte[RATE / 50 * 2];
        while (session.isActive()) {
            int n = mic.read(buf, 0, buf.length);
            line.inbound.add(new TransportEvent.Media(AudioFrame.fromPcmBytes(buf, 0, n, RATE)));
        }
        session.awaitEnd(Duration.ofSeconds(5));
        mic.close();
        speaker.close();
        return 0;
    }

    /** Microphone in, speakers out; marks are echoed when the speaker buffer has drained past them. */
    private static final class MicLine implements CallTransport {
        final LinkedBlockingQueue<TransportEvent> inbound = new LinkedBlockingQueue<>();
        private final SourceDataLine speaker;
        private volatile boolean closed;

        MicLine(TargetDataLine mic, SourceDataLine speaker) {
            this.speaker = speaker;
        }

        @Override
        public CallInfo info() {
            return CallInfo.of("talk-" + System.currentTimeMillis());
        }

        @Override
        public AudioFormat inboundFormat() {
            return AudioFormat.pcm16(RATE);
        }

        @Override
        public Optional<TransportEvent> next() {
            try {
                while (!closed) {
                    TransportEvent e = inbound.poll(100, TimeUnit.MILLISECONDS);
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
            return new AudioSink() {
                @Override
                public int sampleRate() {
                    return RATE;
                }

                @Override
                public void write(AudioFrame frame) {
                    byte[] b = frame.toPcmBytes();
                    speaker.write(b, 0, b.length);
                }

                @Override
                public void mark(String name) {
                    speaker.drain();
                    inbound.add(new TransportEvent.MarkPlayed(name));
                }

                @Override
                public void clear() {
                    speaker.flush();
                }
            };
        }

        @Override
        public void hangUp() {
            inbound.add(new TransportEvent.HungUp("agent hung up"));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
