package io.github.alloclab.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.SlabInfo;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** kmalloc classes exhaustively, the cache algorithm as the javadoc states it, and the checker on planted bugs. */
class SlabAllocatorTest {

    private static final long P = 4096;
    private final List<SlabAllocator> opened = new ArrayList<>();

    private SlabAllocator heap(SlabSettings settings, MemorySettings memory) {
        SlabAllocator heap = new SlabAllocator("slab", new FlatMemorySource(memory), settings);
        opened.add(heap);
        return heap;
    }

    /** Without magazines: the slab layer itself, whose every step the tests below can see. */
    private SlabAllocator heap() {
        return heap(SlabSettings.NO_MAGAZINES, MemorySettings.DEFAULTS);
    }

    @AfterEach
    void close() {
        opened.forEach(SlabAllocator::close);
    }

    private static List<String> violations(SlabAllocator heap) {
        return heap.check().stream().map(Violation::message).toList();
    }

    private static SlabCache cache(SlabAllocator heap, String name) {
        return heap.caches().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    // ---- size classes and arithmetic, exhaustively --------------------------------------------------------

    @Test
    void everyKmallocSizeMapsToTheSmallestCacheThatHoldsIt() {
        long[] classes = {16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
        SlabAllocator heap = heap();
        for (long n = 0; n <= SlabAllocator.MAX_KMALLOC; n++) {
            long expected = 0;
            for (long c : classes) {
                if (c >= Math.max(n, 1)) {
                    expected = c;
                    break;
                }
            }
            SlabCache cache = heap.kmallocCache(n);
            assertThat(cache.size()).as("kmalloc(%d)", n).isEqualTo(expected);
            assertThat(cache.name()).isEqualTo(expected >= 1024 ? "kmalloc-" + expected / 1024 + "k" : "kmalloc-" + expected);
        }
        assertThat(heap.kmallocCache(8193)).isNull();
        long p = heap.malloc(97);
        assertThat(heap.usableSize(p)).isEqualTo(128);
        long q = heap.malloc(8193);
        assertThat(q % P).isZero();
        assertThat(heap.usableSize(q)).isEqualTo(3 * P);
    }

    @Test
    void theReciprocalGivesTheExactIndexOfEveryObjectOfEveryCacheShape() {
        for (long size = 16; size <= 32 * 1024; size += 16) {
            long m = SlabLayout.reciprocal(size);
            long span = 64 * P;
            for (long offset = 0; offset < span; offset += size) {
                assertThat(SlabLayout.index(offset, m)).as("size %d offset %d", size, offset).isEqualTo(offset / size);
            }
            // an interior offset never maps back onto itself, so free() can tell it from an object
            for (long offset = 16; offset < Math.min(span, 40 * size); offset += 16) {
                long i = SlabLayout.index(offset, m);
                assertThat(i * size == offset).isEqualTo(offset % size == 0);
            }
        }
    }

    @Test
    void geometryFollowsBonwick() {
        SlabAllocator heap = heap();
        SlabCache k64 = heap.kmallocCache(64);
        assertThat(k64.offSlab()).isFalse();
        assertThat(k64.pagesPerSlab()).isEqualTo(1);
        // 62 objects of 64 bytes and an 80-byte header (64 + one bitmap word, rounded to 16) in 4096 bytes
        assertThat(k64.objectsPerSlab()).isEqualTo(62);
        assertThat(k64.headerBytes()).isEqualTo(80);
        assertThat(k64.colours()).isEqualTo((4096 - 80 - 62 * 64) / 64 + 1);
        SlabCache k96 = heap.kmallocCache(96);
        assertThat(k96.objectsPerSlab()).isEqualTo(41);
        SlabCache k1k = heap.kmallocCache(1000);
        assertThat(k1k.offSlab()).as("an eighth of a page or more: off-slab").isTrue();
        assertThat(k1k.objectsPerSlab()).isEqualTo(4);
        assertThat(k1k.pagesPerSlab()).isEqualTo(1);
        SlabCache k8k = heap.kmallocCache(8192);
        assertThat(k8k.objectsPerSlab()).isEqualTo(1);
        assertThat(k8k.pagesPerSlab()).isEqualTo(2);
        for (SlabCache c : heap.caches()) {
            long waste = c.span() - c.headerBytes() - c.objectsPerSlab() * c.size();
            assertThat(waste * 8).as("%s wastes at most an eighth", c.name()).isLessThanOrEqualTo(c.span());
        }
    }

    // ---- the cache algorithm ------------------------------------------------------------------------------

    @Test
    void objectsComeFromAPartialSlabFirstAndSlabsMoveBetweenLists() {
        SlabAllocator heap = heap();
        SlabCache c = heap.kmallocCache(2048); // 2 objects per one-page slab: every transition is visible
        assertThat(c.objectsPerSlab()).isEqualTo(2);
        long a = heap.malloc(2048);
        assertThat(lists(c)).isEqualTo("full 0 partial 1 empty 0");
        long b = heap.malloc(2048);
        assertThat(b).as("the second object of the same slab").isEqualTo(a + 2048);
        assertThat(lists(c)).isEqualTo("full 1 partial 0 empty 0");
        long d = heap.malloc(2048);
        assertThat(lists(c)).isEqualTo("full 1 partial 1 empty 0");
        heap.free(a);
        assertThat(lists(c)).isEqualTo("full 0 partial 2 empty 0");
        long e = heap.malloc(2048);
        assertThat(e).as("a partial slab's free object, most recently freed first").isEqualTo(a);
        heap.free(d);
        assertThat(lists(c)).isEqualTo("full 1 partial 0 empty 1");
        heap.free(e);
        heap.free(b);
        assertThat(lists(c)).as("one empty slab kept (maxEmptySlabs = 1), the other given back")
                .isEqualTo("full 0 partial 0 empty 1");
        assertThat(c.slabsDestroyed()).isEqualTo(1);
        assertThat(heap.check()).isEmpty();
        assertThat(heap.reap()).as("kmalloc-2k's slab, then the page of descriptors it emptied").isEqualTo(2);
        assertThat(c.slabs()).isZero();
        assertThat(heap.pages().stats().liveBlocks()).as("every run back with the page allocator").isZero();
        assertThat(heap.check()).isEmpty();
    }

    private static String lists(SlabCache c) {
        return "full %d partial %d empty %d".formatted(c.fullSlabs(), c.partialSlabs(), c.emptySlabs());
    }

    @Test
    void coloursCycleThroughTheLeftoverInCacheLines() {
        SlabAllocator heap = heap();
        SlabCache c = heap.kmallocCache(96); // 41 objects of 96 and an 80-byte header leave 80 bytes: 2 colours
        assertThat(c.colours()).isEqualTo(2);
        List<Long> firsts = new ArrayList<>();
        for (int slab = 0; slab < 4; slab++) {
            long first = heap.malloc(96);
            firsts.add(first % P);
            for (int i = 1; i < c.objectsPerSlab(); i++) {
                heap.malloc(96);
            }
        }
        assertThat(firsts).containsExactly(80L, 80L + 64, 80L, 80L + 64);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void slabListInvariantsHoldThroughRandomTraffic() {
        SlabAllocator heap = heap(new SlabSettings(64 * 1024, 3, 512, 64, 2, 0), MemorySettings.DEFAULTS);
        Random random = new Random(5);
        List<Long> live = new ArrayList<>();
        for (int step = 0; step < 6000; step++) {
            if (live.isEmpty() || random.nextInt(5) < 3) {
                long size = random.nextInt(10) == 0 ? random.nextInt(9000) : random.nextInt(300);
                live.add(heap.malloc(size));
            } else {
                heap.free(live.remove(random.nextInt(live.size())));
            }
            if (step % 97 == 0) {
                assertThat(heap.check()).as("step %d", step).isEmpty();
                assertEveryListMatchesItsInUseCount(heap);
            }
        }
        live.forEach(heap::free);
        assertThat(heap.check()).isEmpty();
        for (SlabCache c : heap.caches()) {
            if (c.internal()) {
                assertThat(c.activeObjects()).as("a descriptor per off-slab slab kept").isEqualTo(
                        heap.caches().stream().filter(SlabCache::offSlab).mapToLong(SlabCache::slabs).sum());
                continue;
            }
            assertThat(c.activeObjects()).isZero();
            assertThat(c.slabs()).as(c.name()).isEqualTo(c.emptySlabs()).isLessThanOrEqualTo(2);
        }
    }

    /** Reads the lists straight from memory: every slab once, on the list its in-use count names. */
    private static void assertEveryListMatchesItsInUseCount(SlabAllocator heap) {
        for (SlabCache c : heap.caches()) {
            Set<Long> seen = new HashSet<>();
            for (SlabCache.SlabList list : SlabCache.SlabList.values()) {
                for (long s = c.head(list); s != 0; s = c.memory().getLong(s + SlabLayout.NEXT)) {
                    assertThat(seen.add(s)).as("%s: slab 0x%x on one list", c.name(), s).isTrue();
                    long inuse = c.memory().getLong(s + SlabLayout.INUSE);
                    assertThat(SlabCache.SlabList.of(inuse, c.objectsPerSlab())).isEqualTo(list);
                }
            }
            assertThat((long) seen.size()).isEqualTo(c.slabs());
        }
    }

    // ---- the checker finds planted corruption ---------------------------------------------------------------

    @Test
    void theCheckerFindsASlabOnTheWrongList() {
        SlabAllocator heap = heap();
        long p = heap.malloc(64);
        heap.malloc(64);
        long slab = p & -P;
        heap.memory().putLong(slab + SlabLayout.INUSE, 62); // says full, but sits on the partial list
        assertThat(violations(heap)).anyMatch(v -> v.contains("C1: a slab with 62 of 62 objects in use is on the"
                + " partial list, not the full list")).anyMatch(v -> v.contains("C2:"));
    }

    @Test
    void theCheckerFindsABrokenFreeListAndBitmap() {
        SlabAllocator heap = heap();
        long p = heap.malloc(128);
        long q = heap.malloc(128);
        heap.free(q);
        heap.memory().putLong(q, p); // a use-after-free write: the free list now leads to a live object
        assertThat(violations(heap)).anyMatch(v -> v.contains("C2: a free object's bitmap bit is set"));
        heap.memory().putLong(q, q); // a cycle
        assertThat(violations(heap)).anyMatch(v -> v.contains("C2: an object is on the free list twice"));
    }

    @Test
    void theCheckerFindsACorruptHeaderAndCounts() {
        SlabAllocator heap = heap();
        long p = heap.malloc(32);
        long slab = p & -P;
        heap.memory().putLong(slab + SlabLayout.MAGIC, 0);
        assertThat(violations(heap)).anyMatch(v -> v.contains("C4: the header's magic is wrong"));
        heap.memory().putLong(slab + SlabLayout.MAGIC, slab ^ heap.kmallocCache(32).key());
        heap.memory().putLong(slab + SlabLayout.PREV, slab);
        assertThat(violations(heap)).anyMatch(v -> v.contains("C4: prev link"));
    }

    // ---- misuse -----------------------------------------------------------------------------------------------

    @Test
    void badFreesAreReportedBeforeAnythingChanges() {
        SlabAllocator heap = heap();
        long p = heap.malloc(64);
        long q = heap.malloc(64);
        long big = heap.malloc(20_000);
        long off = heap.malloc(1500);
        heap.free(p);
        assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("free(): double free detected")
                .satisfies(e -> assertThat(((HeapCorruptionException) e).kind()).isEqualTo(CorruptionKind.DOUBLE_FREE));
        assertThatThrownBy(() -> heap.free(q + 16)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(q + 1)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(q & -P)).as("the header itself").hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(off + 16)).as("inside an off-slab object")
                .hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(big + P)).as("inside a run").hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(0x1000)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(0x7fff_0000_0000L)).hasMessageStartingWith("free(): invalid pointer");
        heap.free(big);
        assertThatThrownBy(() -> heap.free(big)).isInstanceOf(HeapCorruptionException.class);
        heap.free(off);
        assertThatThrownBy(() -> heap.free(off)).hasMessageStartingWith("free(): double free detected");
        assertThatThrownBy(() -> heap.realloc(p, 10)).hasMessageStartingWith("realloc(): invalid pointer");
        assertThat(heap.check()).isEmpty();
        assertThat(heap.stats().liveBlocks()).isEqualTo(1);
        heap.free(q);
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    // ---- the kmem_cache interface -----------------------------------------------------------------------------

    @Test
    void constructedStateSurvivesFreeAndTheDestructorRunsOnReap() {
        SlabAllocator heap = heap();
        List<Long> constructed = new ArrayList<>();
        List<Long> destroyed = new ArrayList<>();
        SlabCache inode = heap.createCache("inode_cache", 40, 0, p -> {
            constructed.add(p);
            heap.memory().putLong(p, 0xC0FFEE);
            heap.memory().putLong(p + 32, 0xBEEF);
        }, destroyed::add);
        assertThat(inode.linkOffset()).as("the link goes past the object").isEqualTo(40);
        assertThat(inode.size()).isEqualTo(48);
        long a = heap.cacheAlloc(inode);
        assertThat(constructed).hasSize(inode.objectsPerSlab()).contains(a);
        assertThat(heap.memory().getLong(a)).isEqualTo(0xC0FFEE);
        heap.cacheFree(inode, a);
        long again = heap.cacheAlloc(inode);
        assertThat(again).isEqualTo(a);
        assertThat(heap.memory().getLong(again + 32)).as("state kept across free").isEqualTo(0xBEEF);
        assertThatThrownBy(() -> heap.cacheFree(heap.kmallocCache(48), again))
                .hasMessageContaining("not an object of cache kmalloc-64");
        assertThatThrownBy(() -> heap.destroyCache(inode)).hasMessageContaining("1 objects are still in use");
        heap.cacheFree(inode, again);
        assertThat(destroyed).isEmpty();
        heap.destroyCache(inode);
        assertThat(destroyed).containsExactlyInAnyOrderElementsOf(constructed);
        assertThat(heap.caches()).doesNotContain(inode);
        assertThatThrownBy(() -> heap.cacheAlloc(inode)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.createCache("kmalloc-64", 8, 0, null, null)).hasMessageContaining("exists");
        assertThatThrownBy(() -> heap.createCache("x", 8, 24, null, null)).hasMessageContaining("power of two");
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void offSlabPagesNameTheirDescriptor() {
        SlabAllocator heap = heap();
        long p = heap.malloc(4000);
        long descriptor = heap.pages().pagePrivate(p);
        SlabCache descriptors = cache(heap, "kmem_slab_cache");
        assertThat(descriptors.activeObjects()).isEqualTo(1);
        assertThat(heap.memory().getLong(descriptor + SlabLayout.BASE)).isEqualTo(p & -P);
        heap.free(p);
        heap.reap();
        assertThat(descriptors.activeObjects()).as("the descriptor goes with its slab").isZero();
        heap.pages().setPagePrivate(heap.malloc(4000), 0);
        assertThat(violations(heap)).anyMatch(v -> v.contains("S4: a page of an off-slab slab names 0x0"));
    }

    // ---- pressure, views --------------------------------------------------------------------------------------

    @Test
    void whenMemoryRunsOutEmptySlabsAreReapedAndLargerCachesLend() {
        var tiny = MemorySettings.DEFAULTS.withHeapLimit(256 * 1024).withMmapLimit(0);
        SlabAllocator heap = heap(new SlabSettings(64 * 1024, 3, 512, 64, 4, 0), tiny);
        List<Long> small = new ArrayList<>();
        long p;
        while ((p = heap.malloc(32)) != 0) {
            small.add(p);
        }
        SlabCache k32 = heap.kmallocCache(32);
        small.subList(0, 4 * k32.objectsPerSlab()).forEach(heap::free); // the first four slabs, now empty and kept
        assertThat(k32.emptySlabs()).isEqualTo(4);
        long big = heap.malloc(1000);
        assertThat(big).as("reaped kmalloc-32's empty slabs to make room").isNotZero();
        assertThat(k32.emptySlabs()).isZero();
        List<Long> bigs = new ArrayList<>(List.of(big));
        while ((p = heap.malloc(1000)) != 0) {
            bigs.add(p);
        }
        heap.free(bigs.getFirst());
        long lent = heap.malloc(500);
        assertThat(lent).as("kmalloc-512 cannot grow; kmalloc-1k lends its free object").isEqualTo(bigs.getFirst());
        assertThat(heap.usableSize(lent)).isEqualTo(1024);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void slabinfoHasTheKernelsLayout() {
        SlabAllocator heap = heap();
        for (int i = 0; i < 70; i++) {
            heap.malloc(64);
        }
        heap.malloc(3000);
        List<SlabInfo> info = heap.slabInfo();
        assertThat(info.getFirst().name()).as("newest first").isEqualTo("kmalloc-8k");
        assertThat(info.getLast().name()).isEqualTo("kmem_slab_cache");
        SlabInfo k64 = info.stream().filter(i -> i.name().equals("kmalloc-64")).findFirst().orElseThrow();
        assertThat(k64.line()).isEqualTo(
                "kmalloc-64            70    124     64   62    1 : tunables    0    0    0 : slabdata      2      2      0");
        assertThat(SlabInfo.table(info)).startsWith("slabinfo - version: 2.1\n# name            <active_objs> <num_objs>"
                + " <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata"
                + " <active_slabs> <num_slabs> <sharedavail>\nkmalloc-8k ");
    }

    @Test
    void theWalkOpensEverySlab() {
        SlabAllocator heap = heap();
        long p = heap.malloc(64);
        long q = heap.malloc(64);
        heap.free(p);
        long big = heap.malloc(10_000);
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        assertThat(blocks).contains(new Block(q, 64, q, 64, BlockState.ALLOCATED), new Block(p, 64, p, 64, BlockState.FREE),
                new Block(big, 3 * P, big, 3 * P, BlockState.ALLOCATED));
        assertThat(blocks).filteredOn(b -> b.address() == (q & -P)).singleElement()
                .satisfies(b -> assertThat(b.state()).isEqualTo(BlockState.METADATA));
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i).address()).isGreaterThanOrEqualTo(blocks.get(i - 1).end());
        }
        var stats = heap.stats();
        assertThat(stats.liveBlocks()).isEqualTo(2);
        assertThat(stats.allocatedBytes()).isEqualTo(64 + 3 * P);
        assertThat(stats.allocatedBytes() + stats.freeBytes() + stats.metadataBytes())
                .isEqualTo(stats.footprintBytes());
        assertThat(stats.mappedBytes()).as("chunks come from the break").isZero();
    }
}
