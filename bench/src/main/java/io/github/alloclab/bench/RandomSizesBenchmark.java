package io.github.alloclab.bench;

import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.RepTraceReader;
import io.github.alloclab.trace.TraceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sizes drawn from what real programs ask for: every request size of the bundled traces, so {@code find},
 * {@code git} and {@code tsort} vote by how often they asked. A window of {@value #LIVE} live blocks turns
 * over: each operation frees the oldest block and allocates a new one, in ns per free+malloc.
 *
 * <p>Run it with {@code ./alloclab bench RandomSizes}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RandomSizesBenchmark {

    static final int LIVE = 256;
    static final int SAMPLES = 1 << 14;

    @Param({"firstfit", "glibc", "bump"})
    public String allocator;

    private BenchHeap heap;
    private final long[] sizes = new long[SAMPLES];
    private final long[] live = new long[LIVE];
    private int next;

    /** {@return every allocation size of the bundled traces, in trace order} */
    static long[] traceSizes() {
        List<Long> all = new ArrayList<>();
        for (var trace : BundledTraces.all()) {
            try (RepTraceReader reader = trace.openRep()) {
                reader.forEachRemaining(op -> {
                    if (op.kind() != TraceOp.Kind.FREE) {
                        all.add(op.byteSize());
                    }
                });
            }
        }
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    @Setup(Level.Trial)
    public void setUp() {
        heap = BenchHeap.of(allocator);
        long[] population = traceSizes();
        Random random = new Random(42);
        for (int i = 0; i < SAMPLES; i++) {
            sizes[i] = population[random.nextInt(population.length)];
        }
        for (int i = 0; i < LIVE; i++) {
            live[i] = heap.malloc(sizes[i]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (long block : live) {
            heap.free(block);
        }
        heap.close();
    }

    @Benchmark
    public long replaceOne() {
        int i = next++;
        int slot = i & (LIVE - 1);
        heap.free(live[slot]);
        long p = heap.malloc(sizes[i & (SAMPLES - 1)]);
        live[slot] = p;
        return p;
    }
}
