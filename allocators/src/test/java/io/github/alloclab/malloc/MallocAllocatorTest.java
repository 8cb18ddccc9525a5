package io.github.alloclab.malloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.slab.SlabCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Size classes exhaustively, routing by size, glibc's dynamic thresholds, trim, the byte ladder and mallinfo2. */
class MallocAllocatorTest {

    private static final long P = 4096;
    private final List<MallocAllocator> opened = new ArrayList<>();

    private MallocAllocator heap(MallocSettings settings) {
        MallocAllocator heap = new MallocAllocator("malloc", new FlatMemorySource(MemorySettings.DEFAULTS), settings);
        opened.add(heap);
        return heap;
    }

    private MallocAllocator heap() {
        return heap(MallocSettings.DEFAULTS);
    }

    @AfterEach
    void close() {
        opened.forEach(MallocAllocator::close);
    }

    // ---- size classes, exhaustively -----------------------------------------------------------------------

    @Test
    void everySizeUpToTheMmapThresholdMapsToTheSmallestClassThatHoldsIt() {
        long threshold = MallocSettings.DEFAULTS.mmapThreshold();
        int previous = 0;
        for (long n = 1; n <= threshold; n++) {
            int c = MallocSizeClasses.classOf(n);
            long size = MallocSizeClasses.size(c);
            assertThat(size).as("class of %d holds it", n).isGreaterThanOrEqualTo(n);
            if (c > 0) {
                assertThat(MallocSizeClasses.size(c - 1)).as("the class below %d's does not", n).isLessThan(n);
            }
            assertThat(c).as("classes never go down").isGreaterThanOrEqualTo(previous);
            previous = c;
            assertThat(size % 16).isZero();
            if (n > 512) {
                assertThat((double) (size - n) / n).as("at most a quarter of %d wasted", n).isLessThan(0.25);
            } else {
                assertThat(size - n).isLessThan(16);
            }
        }
        for (int c = MallocSizeClasses.FINE; c + 4 < MallocSizeClasses.COUNT; c++) {
            assertThat(MallocSizeClasses.size(c + 4)).as("four classes per doubling").isEqualTo(2 * MallocSizeClasses.size(c));
        }
        assertThat(MallocSizeClasses.size(MallocSizeClasses.COUNT - 1)).isEqualTo(MallocSizeClasses.MAX);
        assertThat(MallocSizeClasses.classOf(0)).isZero();
        assertThatThrownBy(() -> MallocSizeClasses.classOf(MallocSizeClasses.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everySmallRequestLandsInTheBinOfItsClass() {
        MallocAllocator heap = heap(MallocSettings.DEFAULTS);
        for (long n = 0; n <= MallocSettings.DEFAULTS.smallMax(); n++) {
            long p = heap.malloc(n);
            long slab = p & -P;
            SlabCache bin = heap.bins().get(MallocSizeClasses.classOf(n));
            assertThat(heap.memory().getLong(slab)).as("malloc(%d) is an object of %s", n, bin.name())
                    .isEqualTo(bin.magicOf(slab));
            assertThat(SlabCache.cacheWord(heap.memory(), slab)).isEqualTo(bin.id());
            assertThat(heap.usableSize(p)).as("malloc(%d)", n).isEqualTo(bin.size());
            heap.free(p);
        }
        assertThat(heap.check()).isEmpty();
    }

    // ---- routing ----------------------------------------------------------------------------------------------

    @Test
    void smallMediumAndLargeGoWhereTheyBelong() {
        MallocAllocator heap = heap();
        long small = heap.malloc(40);
        long medium = heap.malloc(1000);
        long large = heap.malloc(200_000);
        MemorySettings m = MemorySettings.DEFAULTS;
        assertThat(small).isBetween(m.heapStart(), heap.memory().brk());
        assertThat(medium).isBetween(m.heapStart(), heap.memory().brk());
        assertThat(large).isGreaterThan(m.mmapTop() - m.mmapLimit());
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        assertThat(blocks).anySatisfy(b -> assertThat(b).isEqualTo(new Block(small, 48, small, 48, BlockState.ALLOCATED)));
        Block slabBlock = blocks.stream().filter(b -> b.payload() == (small & -P) && b.state() == BlockState.METADATA
                && b.address() == b.payload() - 8).findFirst().orElseThrow();
        assertThat(slabBlock.byteSize()).as("the heap block's 8-byte header, in the page before").isEqualTo(8);
        assertThat(heap.usableSize(medium)).as("a 1008-byte block less its 8-byte header").isEqualTo(1000);
        assertThat(heap.usableSize(large)).isGreaterThanOrEqualTo(200_000);
        var stats = heap.mallocStats();
        assertThat(stats.hblks()).isEqualTo(1);
        assertThat(stats.hblkhd()).isEqualTo(heap.memory().mappedBytes());
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void trimGivesBackTheCachesTheEmptySlabsAndTheFreeTop() {
        MallocAllocator heap = heap();
        var initial = heap.stats();
        long brk = heap.memory().brk();
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            blocks.add(heap.malloc(i % 3 == 0 ? 24 : i % 3 == 1 ? 64 : 700));
        }
        blocks.forEach(heap::free);
        long kept = heap.memory().brk() - brk;
        assertThat(kept).as("cached objects and slabs pin the heap").isPositive();
        assertThat(heap.trim()).isEqualTo(kept);
        assertThat(heap.memory().brk()).isEqualTo(brk);
        var after = heap.stats();
        assertThat(List.of(after.freeBlocks(), after.freeBytes(), after.heapBytes(), after.mappedBytes()))
                .isEqualTo(List.of(initial.freeBlocks(), initial.freeBytes(), initial.heapBytes(), initial.mappedBytes()));
        assertThat(heap.check()).isEmpty();
        heap.free(heap.malloc(24));
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void freeingAMappingRaisesTheThresholdsAsGlibcDoes() {
        MallocAllocator heap = heap();
        assertThat(heap.mmapThreshold()).isEqualTo(128 * 1024);
        long big = heap.malloc(300_000);
        assertThat(heap.memory().mappedBytes()).isPositive();
        heap.free(big);
        long mapped = (300_000 + MappedBlocks.HEADER + 16 + P - 1) / P * P;
        assertThat(heap.mmapThreshold()).isEqualTo(mapped);
        assertThat(heap.trimThreshold()).isEqualTo(2 * mapped);
        long again = heap.malloc(300_000);
        assertThat(again).as("now below the threshold: from the heap").isBetween(heap.memory().heapStart(), heap.memory().brk());
        assertThat(heap.memory().mappedBytes()).isZero();
        heap.free(again);
        long huge = heap.malloc(64L << 20);
        heap.free(huge);
        assertThat(heap.mmapThreshold()).as("never above mmapThresholdMax").isEqualTo(mapped);
        MallocAllocator fixed = heap(new MallocSettings(64, 128 * 1024, 32L << 20, false, 128 * 1024, 4096, 1, 16, 7));
        fixed.free(fixed.malloc(300_000));
        assertThat(fixed.mmapThreshold()).isEqualTo(128 * 1024);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void theTopOfTheHeapIsTrimmedAboveTheThreshold() {
        MallocAllocator heap = heap();
        long start = heap.memory().brk();
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            blocks.add(heap.malloc(4000));
        }
        long grown = heap.memory().brk();
        assertThat(grown - start).isGreaterThan(400_000);
        blocks.reversed().forEach(heap::free);
        assertThat(heap.memory().brk() - start).as("the free top went back with sbrk").isLessThan(128 * 1024);
        assertThat(heap.mallocStats().keepcost()).isLessThan(128 * 1024);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void emptySlabsGoBackToTheHeapForMediumRequests() {
        MallocAllocator heap = heap(new MallocSettings(64, 128 * 1024, 32L << 20, true, 0, 4096, 0, 0, 0));
        List<Long> small = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            small.add(heap.malloc(16));
        }
        long brk = heap.memory().brk();
        small.forEach(heap::free);
        assertThat(heap.bins().getFirst().slabs()).isZero();
        long medium = heap.malloc(1500);
        assertThat(heap.memory().brk()).as("the slabs' pages serve a medium block").isEqualTo(brk);
        heap.free(medium);
        assertThat(heap.check()).isEmpty();
    }

    // ---- misuse -----------------------------------------------------------------------------------------------

    @Test
    void everyKindOfBadFreeIsReportedAndTheHeapStaysUsable() {
        MallocAllocator heap = heap();
        long small = heap.malloc(24);
        long medium = heap.malloc(500);
        long large = heap.malloc(1 << 20);
        heap.free(small);
        assertThatThrownBy(() -> heap.free(small)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("free(): double free detected")
                .satisfies(e -> assertThat(((HeapCorruptionException) e).kind()).isEqualTo(CorruptionKind.DOUBLE_FREE));
        heap.free(medium);
        assertThatThrownBy(() -> heap.free(medium)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageContaining("double free");
        heap.free(large);
        assertThatThrownBy(() -> heap.free(large)).hasMessageStartingWith("free(): double free detected");
        long live = heap.malloc(24);
        assertThat(live).as("LIFO: the freed object comes back").isEqualTo(small);
        long freed = heap.malloc(24);
        heap.free(freed);
        assertThatThrownBy(() -> heap.free(live + 16)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(live & -P)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(0x7fff_0000_0000L)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.realloc(freed, 10)).hasMessageStartingWith("realloc(): invalid pointer");
        assertThatThrownBy(() -> heap.usableSize(freed)).hasMessageStartingWith("malloc_usable_size(): invalid pointer");
        assertThat(heap.check()).isEmpty();
        heap.free(live);
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    @Test
    void reallocMovesBetweenBinsHeapAndMappingsKeepingTheBytes() {
        MallocAllocator heap = heap();
        long p = heap.malloc(20);
        heap.memory().fill(p, 20, (byte) 7);
        long[] sizes = {30, 60, 100, 3000, 200_000, 400_000, 5000, 12, 0};
        long kept = 20;
        for (long size : sizes) {
            long q = heap.realloc(p, size);
            if (size == 0) {
                assertThat(q).isZero();
                break;
            }
            for (long i = 0; i < Math.min(kept, size); i++) {
                assertThat(heap.memory().getByte(q + i)).as("byte %d after realloc to %d", i, size).isEqualTo((byte) 7);
            }
            heap.memory().fill(q, size, (byte) 7);
            kept = size;
            p = q;
            assertThat(heap.check()).isEmpty();
        }
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    // ---- instruments ------------------------------------------------------------------------------------------

    @Test
    void theByteLadderAndMallinfoAddUp() {
        MallocAllocator heap = heap();
        Random random = new Random(3);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                live.add(heap.malloc(random.nextInt(20) == 0 ? 150_000 + random.nextInt(100_000) : random.nextInt(2000)));
            } else {
                heap.free(live.remove(random.nextInt(live.size())));
            }
        }
        MallocStats s = heap.mallocStats();
        var h = heap.stats();
        assertThat(s.allocatedBytes()).isEqualTo(h.usableBytes());
        assertThat(s.allocatedBytes()).isLessThanOrEqualTo(s.activeBytes());
        assertThat(s.activeBytes()).isLessThanOrEqualTo(s.mappedBytes());
        assertThat(s.mappedBytes()).isEqualTo((s.arena() + P - 1) / P * P + s.hblkhd());
        assertThat(s.uordblks() + s.fordblks()).isEqualTo(s.arena());
        assertThat(s.fordblks()).isEqualTo(h.freeBytes());
        assertThat(s.ordblks() + s.smblks()).isEqualTo(h.freeBlocks());
        assertThat(s.allocatedBytes() + s.fordblks() + s.metadataBytes()).as("every byte of heap and mappings")
                .isEqualTo(s.arena() + s.hblkhd());
        assertThat(s.hblks()).isLessThanOrEqualTo(s.maxMmapRegions());
        assertThat(s.maxMmapRegions()).isPositive();
        assertThat(s.mmapThreshold()).as("raised by the first mapping freed").isGreaterThan(128 * 1024);
        assertThat(s.mallocStatsText()).startsWith("Arena 0:\nsystem bytes     = ")
                .contains("Total (incl. mmap):\n").contains("\nmax mmap regions = ").endsWith("\n");
        assertThat(s.mallocStatsText().lines()).hasSize(8)
                .allMatch(line -> line.equals("Arena 0:") || line.equals("Total (incl. mmap):")
                        || line.matches("[a-z ]{16} = [ \\d]{10}"));
    }

    @Test
    void theCheckerFindsPlantedCorruption() {
        MallocAllocator heap = heap(new MallocSettings(64, 128 * 1024, 32L << 20, true, 128 * 1024, 4096, 1, 0, 0));
        long p = heap.malloc(32);
        long q = heap.malloc(32);
        heap.free(q);
        heap.memory().putLong(q, q);
        assertThat(heap.check()).extracting(Violation::message).anyMatch(v -> v.contains("C2: an object is on the free list twice"));
        heap.memory().putLong(q, 0);
        long slab = p & -P;
        heap.memory().putLong(slab + 40, 5);
        assertThat(heap.check()).extracting(Violation::message).anyMatch(v -> v.contains("C2:"));
    }

    @Test
    void magazinesServeTheFastPathAndTheCheckerSeesIntoThem() {
        MallocSettings d = MallocSettings.DEFAULTS;
        MallocAllocator heap = heap(new MallocSettings(d.smallMax(), d.mmapThreshold(), d.mmapThresholdMax(),
                d.dynamicThreshold(), d.trimThreshold(), d.growBytes(), d.maxEmptySlabs(), d.magazineRounds(), 0));
        SlabCache bin = heap.bins().get(MallocSizeClasses.classOf(40));
        long p = heap.malloc(40);
        long q = heap.malloc(40);
        heap.free(q);
        heap.free(p);
        int m = d.magazineRounds();
        assertThat(bin.magazines().rounds()).as("both back in the thread's loaded magazine, with the rest of its refill")
                .isEqualTo(m);
        assertThat(bin.activeObjects()).as("out of the slab all the same").isEqualTo(m);
        assertThat(heap.stats().liveBlocks()).isZero();
        assertThat(heap.malloc(40)).as("last in, first out").isEqualTo(p);
        assertThat(heap.slabInfo()).anySatisfy(line -> assertThat(line.line()).startsWith("malloc-48 ")
                .contains(": tunables   16   16    4 :"));
        heap.memory().putLong(q + 8, 0); // a write into a freed object erases its key
        assertThat(heap.check()).extracting(Violation::message)
                .anyMatch(v -> v.contains("G1: a round of a loaded magazine is not an allocated object"));
    }

    @Test
    void theThreadCacheFrontsTheBinsForTheFirstThreadOnly() throws InterruptedException {
        MallocAllocator heap = heap();
        SlabCache bin = heap.bins().get(MallocSizeClasses.classOf(40));
        long p = heap.malloc(40);
        long q = heap.malloc(40);
        heap.free(q);
        heap.free(p);
        int m = MallocSettings.DEFAULTS.magazineRounds();
        assertThat(bin.magazines().rounds()).as("both in the thread cache; the magazine keeps the rest of its refill")
                .isEqualTo(m - 2);
        assertThat(heap.stats().liveBlocks()).isZero();
        assertThat(heap.check()).isEmpty();
        assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("free(): double free detected in tcache 2");
        assertThatThrownBy(() -> heap.realloc(q, 20)).hasMessageStartingWith("realloc(): invalid pointer");
        assertThat(heap.malloc(40)).as("the slot: the last freed").isEqualTo(p);
        assertThat(heap.malloc(48)).as("then the bin's list").isEqualTo(q);
        long[] other = new long[2];
        Thread thread = new Thread(() -> {
            other[0] = heap.malloc(40);
            other[1] = heap.malloc(40);
            heap.free(other[0]);
        });
        thread.start();
        thread.join();
        assertThat(other[0]).isNotIn(p, q);
        assertThat(bin.magazines().rounds()).as("another thread refills its magazine, takes two and frees one to it")
                .isEqualTo(m - 2 + m - 1);
        assertThat(heap.stats().liveBlocks()).isEqualTo(3);
        heap.free(other[1]);
        heap.free(p);
        heap.free(q);
        assertThat(heap.stats().liveBlocks()).isZero();
        assertThat(heap.check()).isEmpty();
        heap.memory().putLong(p + 8, 0); // a write into a cached object erases its key
        assertThat(heap.check()).extracting(Violation::message).anyMatch(v -> v.startsWith("T"));
    }
}
