package io.github.alloclab.bench;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One heap shared by 1, 2 or 4 threads. Each thread keeps 64 blocks of its own, of 16 to {@code maxSize} bytes,
 * and each operation frees its oldest and allocates one in its place: ns per free+malloc pair, per thread. A heap
 * that does not scale takes longer per pair as threads are added.
 *
 * <p>A heap that is thread-safe is shared as it is: malloc and slab with their magazines, and the C allocators.
 * Any other is shared behind one lock ({@code NAME+lock} in {@link BenchHeap}), the only safe way; name it
 * {@code malloc+lock} to put a thread-safe one behind the lock too. Run it with
 * {@code ./alloclab bench SharedHeap -p allocator=malloc,malloc+lock,zone,glibc}; on a machine with fewer cores
 * than threads, the threads also take turns on the cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SharedHeapBenchmark {

    /** The heap all threads share. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"malloc", "zone", "glibc"})
        public String allocator;

        @Param({"64"})
        public int maxSize;

        BenchHeap heap;
        /** Threads whose blocks are still in the heap; the heap closes once none is and the trial is over. */
        private int users;
        private boolean over;

        @Setup(Level.Trial)
        public void open() {
            BenchHeap made = BenchHeap.of(allocator);
            heap = made.isThreadSafe() ? made : BenchHeap.of(allocator + "+lock");
            if (heap != made) {
                made.close();
            }
        }

        synchronized void join() {
            users++;
        }

        synchronized void leave() {
            if (--users == 0 && over) {
                heap.close();
            }
        }

        /** JMH may run this before or after the threads' own teardowns; the last of them closes the heap. */
        @TearDown(Level.Trial)
        public synchronized void close() {
            over = true;
            if (users == 0) {
                heap.close();
            }
        }
    }

    /** One thread's blocks, oldest first in a ring, and the sizes it will ask for. */
    @State(Scope.Thread)
    public static class Blocks {
        final long[] live = new long[64];
        final long[] sizes = new long[1024];
        int next;

        @Setup(Level.Trial)
        public void fill(Shared shared) {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = 16 + random.nextInt(shared.maxSize - 15);
            }
            shared.join();
            for (int i = 0; i < live.length; i++) {
                live[i] = shared.heap.malloc(sizes[i]);
            }
        }

        /** On the thread that made them, before the shared heap closes: a confined arena can be closed by no other. */
        @TearDown(Level.Trial)
        public void empty(Shared shared) {
            for (long p : live) {
                shared.heap.free(p);
            }
            shared.leave();
        }
    }

    private static long replaceOldest(Shared shared, Blocks blocks) {
        int n = blocks.next++;
        int slot = n & 63;
        shared.heap.free(blocks.live[slot]);
        long p = shared.heap.malloc(blocks.sizes[n & 1023]);
        blocks.live[slot] = p;
        return p;
    }

    @Benchmark
    @Threads(1)
    public long oneThread(Shared shared, Blocks blocks) {
        return replaceOldest(shared, blocks);
    }

    @Benchmark
    @Threads(2)
    public long twoThreads(Shared shared, Blocks blocks) {
        return replaceOldest(shared, blocks);
    }

    @Benchmark
    @Threads(4)
    public long fourThreads(Shared shared, Blocks blocks) {
        return replaceOldest(shared, blocks);
    }
}
