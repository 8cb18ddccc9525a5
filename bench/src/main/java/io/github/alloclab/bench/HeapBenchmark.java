package io.github.alloclab.bench;

import java.util.concurrent.TimeUnit;
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
 * What every benchmark here shares: ns/op in average time, one fork with native access, and a heap picked by
 * the {@code allocator} parameter. {@link BenchMain} fills that parameter with every registry name and every
 * available baseline; the values below are what runs when JMH is started some other way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public abstract class HeapBenchmark {

    @Param({"firstfit", "glibc", "bump"})
    public String allocator;

    protected BenchHeap heap;

    @Setup(Level.Trial)
    public final void openHeap() {
        heap = BenchHeap.of(allocator);
        prepare();
    }

    @TearDown(Level.Trial)
    public final void closeHeap() {
        release();
        heap.close();
    }

    /** Runs once the heap is open, before any measurement. */
    protected void prepare() {
    }

    /** Runs before the heap is closed. */
    protected void release() {
    }
}
