package io.github.alloclab.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocate {@value #N} blocks, then free them all in LIFO, FIFO or random order: ns per operation (each
 * malloc and each free counts as one). Many live blocks at once exercise free lists, splitting and merging,
 * which a single pair never reaches.
 *
 * <p>Run it with {@code ./alloclab bench Batch -p order=RANDOM}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BatchBenchmark {

    static final int N = 1000;

    /** The order in which the batch is freed. */
    public enum Order { LIFO, FIFO, RANDOM }

    @Param({"firstfit", "glibc", "bump"})
    public String allocator;

    @Param({"LIFO", "FIFO", "RANDOM"})
    public Order order;

    @Param({"64"})
    public long byteSize;

    private BenchHeap heap;
    private final long[] blocks = new long[N];
    private final int[] freeOrder = new int[N];

    @Setup(Level.Trial)
    public void setUp() {
        heap = BenchHeap.of(allocator);
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

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
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
