package io.github.alloclab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.ConcurrentAllocator;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several threads on one shared allocator, for every registry entry over each memory source: each thread
 * allocates (malloc, calloc, memalign), fills, reallocates, checks and frees its blocks, and hands some to the
 * other threads to check and free. The allocator is a {@link ConcurrentAllocator} around the registry entry, and
 * a thread-safe entry (malloc and slab with their magazines, over flat memory) also runs bare. Every block must
 * keep its bytes, heap checks taken meanwhile must be clean, and once everything is freed the heap must check
 * clean with no live block. Each run is bounded: a thread that does not finish in time fails the test.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("io.github.alloclab.contract.AllocatorContractTest#allocatorsAndSources")
class ConcurrencyStressTest {

    static final int THREADS = 4;
    static final int OPERATIONS = 1500;

    @Parameter(0)
    String name;

    @Parameter(1)
    MemoryKind memory;

    @Test
    void threadsSharingAConcurrentAllocatorKeepEveryBlock() throws Exception {
        try (Allocator heap = new ConcurrentAllocator(create())) {
            stress(heap);
        }
    }

    @Test
    void threadsSharingAThreadSafeAllocatorKeepEveryBlock() throws Exception {
        try (Allocator heap = create()) {
            if (heap.isThreadSafe()) {
                stress(heap);
            }
        }
    }

    private Allocator create() {
        return AllocatorRegistry.standard().create(name, memory.create(MemorySettings.DEFAULTS), Map.of());
    }

    /** A live block: its address, the bytes it must hold, and their value. */
    private record Live(long address, long size, byte fill) {
    }

    private static void stress(Allocator heap) throws Exception {
        ConcurrentLinkedQueue<Live> handed = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    work(heap, new SplittableRandom(seed), handed, start);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (Live block; (block = handed.poll()) != null; ) {
            expectBytes(heap, block);
            heap.free(block.address());
        }
        assertThat(heap.check()).as("heap check after every thread is done").isEmpty();
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    private static void work(Allocator heap, SplittableRandom random, ConcurrentLinkedQueue<Live> handed,
                             CyclicBarrier start) throws Exception {
        List<Live> mine = new ArrayList<>();
        start.await();
        for (int i = 0; i < OPERATIONS; i++) {
            int roll = random.nextInt(100);
            if (roll < 45 || mine.isEmpty()) {
                long size = size(random);
                int how = random.nextInt(10);
                long p = how == 0 ? heap.calloc(1, size) : how == 1 ? heap.memalign(64, size) : heap.malloc(size);
                assertThat(p).as("allocation of %d bytes", size).isNotZero();
                if (how == 0) {
                    expectBytes(heap, new Live(p, size, (byte) 0));
                }
                Live block = new Live(p, size, (byte) random.nextInt(1, 256));
                heap.memory().fill(p, size, block.fill());
                if (random.nextInt(4) == 0) {
                    handed.add(block);
                } else {
                    mine.add(block);
                }
            } else if (roll < 55) {
                Live old = mine.remove(mine.size() - 1);
                long size = size(random);
                long p = heap.realloc(old.address(), size);
                assertThat(p).isNotZero();
                expectBytes(heap, new Live(p, Math.min(size, old.size()), old.fill()));
                heap.memory().fill(p, size, old.fill());
                mine.add(new Live(p, size, old.fill()));
            } else if (roll < 57) {
                assertThat(heap.check()).as("heap check while other threads work").isEmpty();
            } else {
                Live block = roll < 85 || handed.isEmpty() ? mine.remove(mine.size() - 1) : handed.poll();
                if (block != null) {
                    expectBytes(heap, block);
                    heap.free(block.address());
                }
            }
        }
        for (Live block : mine) {
            expectBytes(heap, block);
            heap.free(block.address());
        }
    }

    /** Mostly small blocks, some medium, a few past the mmap threshold. */
    private static long size(SplittableRandom random) {
        int roll = random.nextInt(100);
        return roll < 80 ? random.nextInt(1, 257) : roll < 98 ? random.nextInt(257, 20_000) : random.nextInt(130_000, 300_000);
    }

    private static void expectBytes(Allocator heap, Live block) {
        for (long i = 0; i < block.size(); i += 8) {
            long n = Math.min(8, block.size() - i);
            for (long j = 0; j < n; j++) {
                byte b = heap.memory().getByte(block.address() + i + j);
                if (b != block.fill()) {
                    throw new AssertionError("byte %d of the block at 0x%x is 0x%02x, not 0x%02x"
                            .formatted(i + j, block.address(), b, block.fill()));
                }
            }
        }
    }
}
