package io.github.alloclab.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.malloc.MallocAllocator;
import io.github.alloclab.malloc.MallocSettings;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The magazine layer: Bonwick and Adams' algorithm step by step, its depot, its checks, and many threads at once. */
class MagazinesTest {

    private static final int M = 4;
    private final List<Allocator> opened = new ArrayList<>();

    private SlabAllocator slab(int rounds) {
        SlabAllocator heap = new SlabAllocator("slab", new FlatMemorySource(MemorySettings.DEFAULTS),
                new SlabSettings(128 * 1024, 3, 512, 64, 1, rounds));
        opened.add(heap);
        return heap;
    }

    @AfterEach
    void close() {
        opened.forEach(Allocator::close);
    }

    @Test
    void freesFillTheLoadedMagazineThenThePreviousThenTheDepot() {
        SlabAllocator heap = slab(M);
        SlabCache c = heap.kmallocCache(64);
        Magazines m = c.magazines();
        List<Long> objects = new ArrayList<>();
        for (int i = 0; i < 4 * M + 2; i++) {
            objects.add(heap.malloc(64));
        }
        assertThat(m.rounds()).as("allocation refills a magazine with M objects at a time").isEqualTo(M - 2);
        heap.reap();
        assertThat(m.rounds()).isZero();
        for (int i = 0; i < M; i++) {
            heap.free(objects.get(i));
        }
        assertThat(m.rounds()).as("the loaded magazine").isEqualTo(M);
        heap.free(objects.get(M));
        assertThat(m.rounds()).as("a new loaded magazine; the full one is previous").isEqualTo(M + 1);
        assertThat(m.fullMagazines()).isZero();
        for (int i = M + 1; i <= 2 * M; i++) {
            heap.free(objects.get(i));
        }
        assertThat(m.fullMagazines()).as("the previous, full, went to the depot").isEqualTo(1);
        assertThat(c.activeObjects()).as("objects in magazines stay out of the slabs").isEqualTo(4 * M + 2);
        assertThat(heap.stats().liveBlocks()).isEqualTo(4 * M + 2 - (2 * M + 1));
        assertThat(heap.check()).isEmpty();
        // Allocation pops the loaded magazine (last in, first out), then swaps in the full previous one.
        assertThat(heap.malloc(64)).isEqualTo(objects.get(2 * M));
        for (int i = 0; i < 2 * M; i++) {
            heap.malloc(64);
        }
        assertThat(m.rounds()).isZero();
        assertThat(m.fullMagazines()).as("the depot's full magazine was loaded").isZero();
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void theDepotKeepsAFewFullMagazinesAndGivesTheRestBackToTheSlabs() {
        SlabAllocator heap = slab(M);
        SlabCache c = heap.kmallocCache(32);
        List<Long> objects = new ArrayList<>();
        int n = (SlabAllocator.DEPOT_MAX + 6) * M;
        for (int i = 0; i < n; i++) {
            objects.add(heap.malloc(32));
        }
        objects.forEach(heap::free);
        Magazines m = c.magazines();
        assertThat(m.fullMagazines()).isEqualTo(SlabAllocator.DEPOT_MAX);
        assertThat(m.rounds()).isLessThanOrEqualTo((SlabAllocator.DEPOT_MAX + 2) * M);
        assertThat(c.activeObjects()).as("the rest went back to their slabs").isEqualTo(m.rounds());
        assertThat(heap.check()).isEmpty();
        heap.reap();
        assertThat(m.rounds()).isZero();
        assertThat(c.slabs()).as("reap empties the magazines, then gives the empty slabs back").isZero();
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void doubleFreesAreCaughtInTheMagazinesAndInTheSlabs() {
        SlabAllocator heap = slab(M);
        long p = heap.malloc(100);
        long q = heap.malloc(100);
        heap.free(p);
        assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("free(): double free detected");
        assertThatThrownBy(() -> heap.usableSize(p)).hasMessageStartingWith("malloc_usable_size(): invalid pointer");
        assertThatThrownBy(() -> heap.realloc(p, 10)).hasMessageStartingWith("realloc(): invalid pointer");
        heap.reap(); // p goes back to its slab
        assertThatThrownBy(() -> heap.free(p)).hasMessageStartingWith("free(): double free detected");
        // A caller's data that happens to equal the key is not taken for a free object.
        long key = heap.kmallocCache(100).magazines().key();
        heap.memory().putLong(q + 8, key);
        heap.free(q);
        assertThat(heap.check()).isEmpty();
        heap.memory().putLong(q + 8, 0); // a write into a freed object: the checker notices
        assertThat(heap.check()).extracting(Violation::message).anyMatch(v -> v.contains("G1:"));
    }

    @Test
    void objectsInMagazinesAreFreeInTheWalkAndTheStats() {
        SlabAllocator heap = slab(M);
        long p = heap.malloc(16);
        heap.free(p);
        List<BlockState> states = new ArrayList<>();
        heap.walk(b -> {
            if (b.address() == p) {
                states.add(b.state());
            }
        });
        assertThat(states).containsExactly(BlockState.FREE);
        assertThat(heap.slabInfo()).anySatisfy(line -> assertThat(line.line()).startsWith("kmalloc-16 ")
                .contains(": tunables    4    4    4 :"));
    }

    @Test
    void withoutMagazinesTheSlabLayerServesEveryCall() {
        SlabAllocator heap = slab(0);
        assertThat(heap.kmallocCache(64).magazines()).isNull();
        long p = heap.malloc(64);
        heap.free(p);
        assertThat(heap.kmallocCache(64).activeObjects()).isZero();
    }

    // ---- many threads ---------------------------------------------------------------------------------------

    @Test
    void manyThreadsAllocateAndFreeEachOthersObjects() throws Exception {
        stress(memory -> new SlabAllocator("slab", memory, new SlabSettings(128 * 1024, 3, 512, 64, 1, 8)));
    }

    @Test
    void mallocsBinsTooAreSafeForManyThreads() throws Exception {
        stress(memory -> new MallocAllocator("malloc", memory,
                new MallocSettings(64, 128 * 1024, 32L << 20, true, 128 * 1024, 4096, 1, 8, 7)));
    }

    /**
     * Four threads allocate small and some larger blocks, fill them with their own pattern, and hand half of them
     * to the other threads to check and free. Every block must keep its bytes; at the end, with every block
     * freed, the heap must check clean and hold no live block.
     */
    private void stress(Function<FlatMemorySource, Allocator> make) throws Exception {
        Allocator heap = make.apply(new FlatMemorySource(MemorySettings.DEFAULTS));
        opened.add(heap);
        int threads = 4;
        ConcurrentLinkedQueue<long[]> handed = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            done.add(pool.submit(() -> {
                Random random = new Random(seed);
                List<long[]> mine = new ArrayList<>();
                start.await();
                for (int i = 0; i < 20_000; i++) {
                    int roll = random.nextInt(10);
                    if (roll < 5 || mine.isEmpty()) {
                        long size = random.nextInt(50) == 0 ? 1000 + random.nextInt(20_000) : 16 + random.nextInt(100);
                        long p = heap.malloc(size);
                        byte fill = (byte) random.nextInt();
                        heap.memory().fill(p, size, fill);
                        long[] block = {p, size, fill};
                        if (random.nextBoolean()) {
                            handed.add(block);
                        } else {
                            mine.add(block);
                        }
                    } else {
                        long[] block = roll < 8 || handed.isEmpty() ? mine.remove(mine.size() - 1) : handed.poll();
                        if (block == null) {
                            continue;
                        }
                        for (long j = 0; j < block[1]; j++) {
                            if (heap.memory().getByte(block[0] + j) != (byte) block[2]) {
                                throw new AssertionError("byte %d of 0x%x changed".formatted(j, block[0]));
                            }
                        }
                        heap.free(block[0]);
                    }
                }
                mine.forEach(b -> heap.free(b[0]));
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long[] block;
        while ((block = handed.poll()) != null) {
            heap.free(block[0]);
        }
        assertThat(heap.check()).isEmpty();
        assertThat(heap.stats().liveBlocks()).isZero();
    }
}
