package dev.parley.cli;

import dev.parley.CallEvent;
import dev.parley.CallSession;
import dev.parley.VoiceAgent;
import dev.parley.audio.AudioFrame;
import dev.parley.audio.Resampler;
import dev.parley.audio.Wav;
import dev.parley.audio.WavAudio;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One simulated call on a {@link LocalLine}: caller turns streamed in real time (or faster), the agent's replies
 * played back, events printed as they happen, per-turn latencies measured, and the call saved as a stereo WAV and a
 * journal.
 */
public final class LocalCall {
    /** A caller turn: its audio, and when to start it (after the agent finished, or barging in). */
    public record Turn(String label, List<AudioFrame> audio, Optional<Duration> bargeInAfter) {
        public static Turn of(String label, List<AudioFrame> audio) {
            return new Turn(label, audio, Optional.empty());
        }
    }

    /** What a call measured. */
    public record Report(String callId, List<Duration> turnGaps, List<CallEvent> events, Path wav, Path journal,
                         boolean ended) {}

    private static final Duration PAUSE = Duration.ofMillis(600);
    private static final Duration TURN_LIMIT = Duration.ofSeconds(25);

    private final VoiceAgent agent;
    private final int rate;
    private final double speed;
    private final PrintStream out;
    private final Path outDir;

    public LocalCall(VoiceAgent agent, int rate, double speed, PrintStream out, Path outDir) {
        this.agent = agent;
        this.rate = rate;
        this.speed = speed;
        this.out = out;
        this.outDir = outDir;
    }

    /** Reads a caller turn from a WAV file (any rate; mono mix) at the line's rate in 20 ms frames. */
    public static List<AudioFrame> readTurn(Path wav, int rate) {
        WavAudio audio = Wav.read(wav);
        short[] mono = audio.mono();
        short[] samples = audio.sampleRate() == rate ? mono : Resampler.create(audio.sampleRate(), rate).process(mono);
        return frames(samples, rate);
    }

    static List<AudioFrame> frames(short[] samples, int rate) {
        int n = rate / 50;
        List<AudioFrame> frames = new ArrayList<>();
        for (int i = 0; i < samples.length; i += n) {
            short[] f = new short[n];
            System.arraycopy(samples, i, f, 0, Math.min(n, samples.length - i));
            frames.add(new AudioFrame(f, rate));
        }
        return frames;
    }

    public Report run(String callId, List<Turn> turns) throws InterruptedException, IOException {
        LocalLine line = new LocalLine(callId, rate, speed);
        EventLog log = new EventLog(this::print);
        CallSession session = agent.call(line, log);
        List<Duration> gaps = new ArrayList<>();
        // the greeting (if any) plays first
        line.silence(Duration.ofMillis(400));
        waitListening(line, log, e -> e instanceof CallEvent.AgentFinishedSpeaking, 1);
        for (int k = 0; k < turns.size() && session.isActive(); k++) {
            Turn turn = turns.get(k);
            int replies = log.count(e -> e instanceof CallEvent.ReplyStarted);
            int finished = log.count(e -> e instanceof CallEvent.AgentFinishedSpeaking);
            if (turn.bargeInAfter().isPresent()) {
                int spoke = log.count(e -> e instanceof CallEvent.AgentSpoke);
                waitListening(line, log, e -> e instanceof CallEvent.AgentSpoke, spoke + 1);
                line.silence(turn.bargeInAfter().get());
                out.println("  (caller barges in: " + turn.label() + ")");
            } else {
                out.println("  (caller: " + turn.label() + ")");
            }
            long lastVoice = line.send(turn.audio());
            // the caller goes on listening: silence on the line until the agent has answered and finished
            waitListening(line, log, e -> e instanceof CallEvent.AgentFinishedSpeaking, finished + 1);
            long firstAudio = line.firstAgentAudioAfterLastVoice();
            if (lastVoice > 0 && firstAudio > lastVoice && log.count(e -> e instanceof CallEvent.ReplyStarted) > replies) {
                Duration gap = Duration.ofNanos((long) ((firstAudio - lastVoice) * speed));
                gaps.add(gap);
                out.printf("  [turn gap %d ms]%n", gap.toMillis());
            }
            line.silence(PAUSE);
        }
        if (session.isActive()) {
            line.hangUpFromCaller();
        }
        session.awaitEnd(Duration.ofSeconds(15));
        line.close();
        Files.createDirectories(outDir);
        Path wav = outDir.resolve(callId + ".wav");
        Path journal = outDir.resolve(callId + ".jsonl");
        Wav.write(wav, line.recording());
        Files.write(journal, session.journal(), StandardCharsets.UTF_8);
        return new Report(callId, gaps, log.events(), wav, journal, !session.isActive());
    }

    /** Keeps the line alive with silence until the n-th matching event (or the call ends, or a time limit). */
    private void waitListening(LocalLine line, EventLog log, Predicate<CallEvent> p, int n) {
        long limit = System.nanoTime() + (long) (TURN_LIMIT.toNanos() / Math.max(1.0, Math.min(speed, 4)));
        while (log.count(p) < n && System.nanoTime() < limit && !log.ended()) {
            line.silence(Duration.ofMillis(20));
        }
    }

    private void print(CallEvent e) {
        switch (e) {
            case CallEvent.Transcript t when t.complete() -> out.println("  caller ▸ " + t.text());
            case CallEvent.AgentSpoke s -> out.println("  agent  ▸ " + s.text());
            case CallEvent.ToolCalled t -> out.println("  tool   ▸ " + t.name());
            case CallEvent.ToolFinished t -> out.println("  tool   ◂ " + t.name() + " " + t.outcome());
            case CallEvent.AgentInterrupted i -> out.println("  [barge-in; the caller heard: \"" + i.heardText() + "\"]");
            case CallEvent.InterruptionResumed r -> out.println("  [false interruption: resuming]");
            case CallEvent.Transferred t -> out.println("  [transferred to a human: " + t.reason() + "]");
            case CallEvent.CallEnded c -> out.println("  [call ended: " + c.reason() + "]");
            default -> { }
        }
    }

    /** Events of one call, countable from the runner's thread. */
    static final class EventLog implements Consumer<CallEvent> {
        private final List<CallEvent> events = new ArrayList<>();
        private final Consumer<CallEvent> printer;

        EventLog(Consumer<CallEvent> printer) {
            this.printer = printer;
        }

        @Override
        public synchronized void accept(CallEvent e) {
            events.add(e);
            printer.accept(e);
        }

        synchronized int count(Predicate<CallEvent> p) {
            return (int) events.stream().filter(p).count();
        }

        synchronized boolean ended() {
            return events.stream().anyMatch(e -> e instanceof CallEvent.CallEnded);
        }

        synchronized List<CallEvent> events() {
            return List.copyOf(events);
        }
    }
}
