package io.github.alloclab.bench;

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
 * One {@code malloc} and one {@code free} of the same size: the fast path, in ns per pair.
 *
 * <p>Run it with {@code ./alloclab bench AllocFreePair -p byteSize=64}. Without {@code -p allocator=...}
 * every registry allocator and every available baseline runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AllocFreePairBenchmark {

    @Param({"firstfit", "glibc", "bump"})
    public String allocator;

    @Param({"16", "64", "256", "4096", "65536"})
    public long byteSize;

    private BenchHeap heap;

    @Setup(Level.Trial)
    public void setUp() {
        heap = BenchHeap.of(allocator);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
    }

    @Benchmark
    public long allocFreePair() {
        long p = heap.malloc(byteSize);
        heap.free(p);
        return p;
    }
}
