package dev.parley.bench;

import dev.parley.internal.SentenceChunker;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cutting a streamed model reply into speakable chunks: a realistic 61-word reply (a price, a time, abbreviations,
 * an address) arriving in deltas of 3 to 5 characters, as model tokens do. {@link #perToken} pushes one delta per
 * invocation (the reply's closing flush included in its last delta); {@link #perReply} runs the whole reply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SentenceChunkerBench {
    /** The reply: 61 words, 339 characters. */
    public static final String REPLY = "Sure thing! Your order is two large pepperoni pizzas, one garlic bread and a"
            + " 2-liter Coke, which comes to $38.47 before tax. Dr. Rossi's special, e.g. the truffle pie, is also"
            + " available until 9 p.m. tonight. Delivery to 221 Baker St. takes about 35 minutes, so expect it"
            + " around 7:45. Would you like to add a dessert, or is that everything?";

    /** Delta lengths, cycled: model tokens of English text are mostly 3 to 5 characters with their space. */
    private static final int[] DELTA_LENGTHS = {4, 3, 5, 4, 3, 4, 5};

    private final SentenceChunker chunker = new SentenceChunker();
    private String[] deltas = new String[0];
    private int next;

    /** {@link #REPLY} cut into the deltas a model would stream. */
    public static List<String> deltas() {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (int k = 0; i < REPLY.length(); k++) {
            int end = Math.min(REPLY.length(), i + DELTA_LENGTHS[k % DELTA_LENGTHS.length]);
            out.add(REPLY.substring(i, end));
            i = end;
        }
        return out;
    }

    @Setup
    public void setUp() {
        deltas = deltas().toArray(String[]::new);
        chunker.reset();
        next = 0;
    }

    @Benchmark
    public void perToken(Blackhole bh) {
        int i = next;
        bh.consume(chunker.push(deltas[i]));
        if (i + 1 == deltas.length) {
            bh.consume(chunker.flush());
            next = 0;
        } else {
            next = i + 1;
        }
    }

    @Benchmark
    public void perReply(Blackhole bh) {
        for (String delta : deltas) {
            bh.consume(chunker.push(delta));
        }
        bh.consume(chunker.flush());
    }
}
