package dev.parley.bench;

import dev.parley.CallPolicy;
import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signal throughput of the call machine: the signals of one {@link RecordedCall} replayed through
 * {@link CallMachine#on} in a loop, one signal per operation (so the score is signals per second), starting again from
 * the initial state after the call's last signal. {@link #machineAndJournal} also writes each decision's journal line
 * to an in-memory sink that keeps only the running length.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallMachineBench {
    private CallMachine machine = new CallMachine(CallPolicy.defaults());
    private CallState initial = machine.initial();
    private CallState state = initial;
    private Signal[] signals = new Signal[0];
    private Instant[] times = new Instant[0];
    private Journal journal = new Journal("bench", machine.policy(), line -> {});
    private int next;
    /** Characters written to the journal (read so the lines cannot be optimised away). */
    public long journalChars;

    @Setup
    public void setUp() {
        RecordedCall call = RecordedCall.record();
        machine = new CallMachine(call.policy());
        initial = machine.initial();
        state = initial;
        signals = call.signals().toArray(Signal[]::new);
        times = call.times().toArray(Instant[]::new);
        journal = new Journal("bench", call.policy(), line -> journalChars += line.length());
        journalChars = 0; // count entries only, not the header
        next = 0;
    }

    @Benchmark
    public CallMachine.Decision machine() {
        int i = next;
        CallMachine.Decision d = machine.on(state, signals[i], times[i]);
        advance(i, d);
        return d;
    }

    @Benchmark
    public CallMachine.Decision machineAndJournal() {
        int i = next;
        CallMachine.Decision d = machine.on(state, signals[i], times[i]);
        journal.append(times[i], signals[i], d.effects());
        advance(i, d);
        return d;
    }

    private void advance(int i, CallMachine.Decision d) {
        if (i + 1 == signals.length) {
            next = 0;
            state = initial; // the machine copies the state it is given, so the initial one is never changed
        } else {
            next = i + 1;
            state = d.state();
        }
    }
}
