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
 * One {@code malloc} and one {@code free} of the same size: the cost of the fast path, in ns per pair.
 *
 * <p>Run it with:
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar AllocFreePair -f 1 -wi 3 -i 5
 * </pre>
 * Add {@code -p allocator=firstfit,glibc -p byteSize=64} to pick. Compare ratios from the same run, never
 * absolute times from different runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AllocFreePairBenchmark {

    @Param({"firstfit", "glibc"})
    public String allocator;

    @Param({"64", "4096"})
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
