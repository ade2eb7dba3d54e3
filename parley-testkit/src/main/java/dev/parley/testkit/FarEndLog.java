package dev.parley.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the far end of an {@link InMemoryTransport} saw the agent do, and waits on it. Waits throw
 * {@link AssertionError} on timeout, with a summary of the sink log.
 */
public final class FarEndLog {
    private final InMemoryTransport t;

    FarEndLog(InMemoryTransport transport) {
        this.t = transport;
    }

    /** Every sink operation (and hang-up, transfer), in order. */
    public List<SinkOp> sinkLog() {
        return t.withLock(() -> List.copyOf(t.log));
    }

    public <S extends SinkOp> List<S> ops(Class<S> type) {
        return sinkLog().stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<SinkOp.Write> writes() {
        return ops(SinkOp.Write.class);
    }

    public List<SinkOp.Clear> clears() {
        return ops(SinkOp.Clear.class);
    }

    public List<SinkOp.Mark> marks() {
        return ops(SinkOp.Mark.class);
    }

    /** Transfer reasons, in order. */
    public List<String> transfers() {
        return ops(SinkOp.Transfer.class).stream().map(SinkOp.Transfer::reason).toList();
    }

    /** Audio written by the agent, in total. */
    public Duration writtenDuration() {
        Duration d = Duration.ZERO;
        for (SinkOp.Write w : writes()) {
            d = d.plus(w.frame().duration());
        }
        return d;
    }

    /** The first write at or after {@code instant} (e.g. the first agent audio after the caller stopped). */
    public Optional<SinkOp.Write> firstWriteAfter(Instant instant) {
        return writes().stream().filter(w -> !w.at().isBefore(instant)).findFirst();
    }

    public List<MarkEcho> markEchoes() {
        return t.withLock(() -> List.copyOf(t.echoes));
    }

    /** Waits until {@code n} marks have been echoed; returns all echoes so far. */
    public List<MarkEcho> awaitMarks(int n, Duration timeout) {
        return t.await(now -> t.echoes.size() >= n ? Optional.of(List.copyOf(t.echoes)) : Optional.empty(),
                timeout, n + " mark echoes");
    }

    /** Waits for the echo of the mark of this name. */
    public MarkEcho awaitMark(String name, Duration timeout) {
        return t.await(now -> t.echoes.stream().filter(e -> e.name().equals(name)).findFirst(), timeout,
                "echo of mark " + name);
    }

    /** Waits until {@code n} clears have been sent; returns them all. */
    public List<SinkOp.Clear> awaitClears(int n, Duration timeout) {
        return t.await(now -> count(SinkOp.Clear.class) >= n ? Optional.of(clearsLocked()) : Optional.empty(),
                timeout, n + " clears");
    }

    /** Waits for the first clear. */
    public SinkOp.Clear awaitClear(Duration timeout) {
        return awaitClears(1, timeout).getFirst();
    }

    /** Waits until {@code n} frames have been written; returns every write so far. */
    public List<SinkOp.Write> awaitWrites(int n, Duration timeout) {
        return t.await(now -> count(SinkOp.Write.class) >= n
                ? Optional.of(t.log.stream().filter(SinkOp.Write.class::isInstance).map(SinkOp.Write.class::cast)
                        .toList())
                : Optional.empty(), timeout, n + " writes");
    }

    /** Waits until audio was written and all of it has played (or was cleared). */
    public void awaitPlaybackIdle(Duration timeout) {
        t.await(now -> count(SinkOp.Write.class) > 0 && t.playbackIdle() ? Optional.of(Boolean.TRUE)
                : Optional.empty(), timeout, "playback to finish");
    }

    /** Waits until the agent hangs up. */
    public SinkOp.HangUp awaitAgentHangUp(Duration timeout) {
        return t.await(now -> t.log.stream().filter(SinkOp.HangUp.class::isInstance).map(SinkOp.HangUp.class::cast)
                .findFirst(), timeout, "the agent to hang up");
    }

    /** Waits until the sink log satisfies {@code condition}; returns the log. */
    public List<SinkOp> awaitLog(Predicate<List<SinkOp>> condition, Duration timeout, String description) {
        return t.await(now -> condition.test(t.log) ? Optional.of(List.copyOf(t.log)) : Optional.empty(), timeout,
                description);
    }

    private long count(Class<? extends SinkOp> type) {
        return t.log.stream().filter(type::isInstance).count();
    }

    private List<SinkOp.Clear> clearsLocked() {
        return t.log.stream().filter(SinkOp.Clear.class::isInstance).map(SinkOp.Clear.class::cast).toList();
    }

    /** A short text form of a sink log: runs of writes are folded into their total audio. */
    static String summary(List<SinkOp> log) {
        var sb = new StringBuilder("[");
        Duration run = Duration.ZERO;
        for (SinkOp op : log) {
            if (op instanceof SinkOp.Write w) {
                run = run.plus(w.frame().duration());
                continue;
            }
            if (!run.isZero()) {
                sb.append("audio ").append(run.toMillis()).append(" ms, ");
                run = Duration.ZERO;
            }
            sb.append(switch (op) {
                case SinkOp.Mark m -> "mark " + m.name();
                case SinkOp.Clear c -> "clear (dropped " + c.dropped().toMillis() + " ms)";
                case SinkOp.HangUp h -> "hang-up";
                case SinkOp.Transfer tr -> "transfer";
                case SinkOp.Write w -> "write";
            }).append(", ");
        }
        if (!run.isZero()) {
            sb.append("audio ").append(run.toMillis()).append(" ms");
        }
        return sb.append(']').toString();
    }
}
