package io.github.alloclab.bench;

import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * Allocate {@value #N} blocks, then free them all in LIFO, FIFO or random order: ns per operation (each
 * malloc and each free counts as one). Many live blocks at once exercise free lists, splitting and merging,
 * which a single pair never reaches.
 *
 * <p>Run it with {@code ./alloclab bench Batch -p order=RANDOM}.
 */
public class BatchBenchmark extends HeapBenchmark {

    static final int N = 1000;

    /** The order in which the batch is freed. */
    public enum Order { LIFO, FIFO, RANDOM }

    @Param({"LIFO", "FIFO", "RANDOM"})
    public Order order;

    @Param({"64"})
    public long byteSize;

    private final long[] blocks = new long[N];
    private final int[] freeOrder = new int[N];

    @Override
    protected void prepare() {
        for (int i = 0; i < N; i++) {
            freeOrder[i] = switch (order) {
                case LIFO -> N - 1 - i;
                case FIFO, RANDOM -> i;
            };
        }
        if (order == Order.RANDOM) {
            Random random = new Random(42);
            for (int i = N - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = freeOrder[i];
                freeOrder[i] = freeOrder[j];
                freeOrder[j] = t;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(2 * N)
    public long batch() {
        long sum = 0;
        for (int i = 0; i < N; i++) {
            blocks[i] = heap.malloc(byteSize);
            sum += blocks[i];
        }
        for (int i = 0; i < N; i++) {
            heap.free(blocks[freeOrder[i]]);
        }
        return sum;
    }
}
