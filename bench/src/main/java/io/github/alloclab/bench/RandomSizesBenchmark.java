package io.github.alloclab.bench;

import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.RepTraceReader;
import io.github.alloclab.trace.TraceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Sizes drawn from what real programs ask for: every request size of the bundled traces, so {@code find},
 * {@code git} and {@code tsort} vote by how often they asked. A window of {@value #LIVE} live blocks turns
 * over: each operation frees the oldest block and allocates a new one, in ns per free+malloc.
 *
 * <p>Run it with {@code ./alloclab bench RandomSizes}.
 */
public class RandomSizesBenchmark extends HeapBenchmark {

    static final int LIVE = 256;
    static final int SAMPLES = 1 << 14;

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

    @Override
    protected void prepare() {
        long[] population = traceSizes();
        Random random = new Random(42);
        for (int i = 0; i < SAMPLES; i++) {
            sizes[i] = population[random.nextInt(population.length)];
        }
        for (int i = 0; i < LIVE; i++) {
            live[i] = heap.malloc(sizes[i]);
        }
    }

    @Override
    protected void release() {
        for (long block : live) {
            heap.free(block);
        }
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
