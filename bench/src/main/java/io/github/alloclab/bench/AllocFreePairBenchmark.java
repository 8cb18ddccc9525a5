package io.github.alloclab.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * One {@code malloc} and one {@code free} of the same size: the fast path, in ns per pair.
 *
 * <p>Run it with {@code ./alloclab bench AllocFreePair -p byteSize=64}. Without {@code -p allocator=...}
 * every registry allocator and every available baseline runs.
 */
public class AllocFreePairBenchmark extends HeapBenchmark {

    @Param({"16", "64", "256", "4096", "65536"})
    public long byteSize;

    @Benchmark
    public long allocFreePair() {
        long p = heap.malloc(byteSize);
        heap.free(p);
        return p;
    }
}
