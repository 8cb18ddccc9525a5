package io.github.alloclab.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** zinit, zalloc and zfree as Mach has them, the enforced maximum, kalloc classes, zone_gc and the checker. */
class ZoneAllocatorTest {

    private static final long P = 4096;
    private final List<ZoneAllocator> opened = new ArrayList<>();

    private ZoneAllocator heap(MemorySettings memory) {
        ZoneAllocator heap = new ZoneAllocator("zone", new FlatMemorySource(memory), ZoneSettings.DEFAULTS);
        opened.add(heap);
        return heap;
    }

    private ZoneAllocator heap() {
        return heap(MemorySettings.DEFAULTS);
    }

    /** A zone allocator with no thread cache: every free goes straight to its zone. */
    private ZoneAllocator uncached() {
        ZoneSettings d = ZoneSettings.DEFAULTS;
        ZoneAllocator heap = new ZoneAllocator("zone", new FlatMemorySource(),
                new ZoneSettings(d.chunkBytes(), d.maxChunkOrder(), d.kallocMaxBytes(), 0));
        opened.add(heap);
        return heap;
    }

    @AfterEach
    void close() {
        opened.forEach(ZoneAllocator::close);
    }

    private static List<String> violations(ZoneAllocator heap) {
        return heap.check().stream().map(Violation::message).toList();
    }

    @Test
    void everyKallocSizeMapsToTheSmallestZoneThatHoldsIt() {
        long[] sizes = {16, 32, 48, 64, 80, 96, 128, 160, 192, 224, 256, 288, 368, 400, 512, 576, 768, 1024, 1152,
                1280, 1664, 2048, 4096, 6144, 8192};
        ZoneAllocator heap = heap();
        for (long n = 0; n <= ZoneAllocator.MAX_KALLOC; n++) {
            long expected = 0;
            for (long s : sizes) {
                if (s >= Math.max(n, 1)) {
                    expected = s;
                    break;
                }
            }
            Zone zone = heap.kallocZone(n);
            assertThat(zone.elementSize()).as("kalloc(%d)", n).isEqualTo(expected);
            assertThat(zone.name()).isEqualTo("kalloc." + expected);
        }
        assertThat(heap.kallocZone(8193)).isNull();
        for (Zone zone : heap.zones()) {
            long waste = zone.chunkBytes() - zone.elementsPerChunk() * zone.elementSize();
            assertThat(waste * 8).as("%s wastes at most an eighth of its chunk", zone.name())
                    .isLessThanOrEqualTo(zone.chunkBytes());
        }
        assertThat(heap.kallocZone(6000).chunkBytes()).isEqualTo(8 * P);
    }

    @Test
    void aZoneIsALifoFreeListGrownByWholeChunks() {
        ZoneAllocator heap = heap();
        Zone vnodes = heap.zinit(200, 64 * P, P, "vnodes", false);
        assertThat(vnodes.elementSize()).isEqualTo(208);
        assertThat(vnodes.chunkBytes()).isEqualTo(P);
        int n = vnodes.elementsPerChunk();
        assertThat(n).isEqualTo(19); // (4096 - 48) / 208: a 48-byte header with one bitmap word
        long a = heap.zalloc(vnodes);
        long b = heap.zalloc(vnodes);
        assertThat(b - a).as("a fresh chunk hands out its elements lowest first").isEqualTo(208);
        assertThat(vnodes.currentBytes()).isEqualTo(P);
        heap.zfree(vnodes, a);
        heap.zfree(vnodes, b);
        assertThat(heap.zalloc(vnodes)).as("last freed, first reused").isEqualTo(b);
        assertThat(heap.zalloc(vnodes)).isEqualTo(a);
        for (int i = 2; i < n; i++) {
            heap.zalloc(vnodes);
        }
        assertThat(vnodes.chunks()).isEqualTo(1);
        heap.zalloc(vnodes);
        assertThat(vnodes.chunks()).as("the zone grows by a whole chunk").isEqualTo(2);
        assertThat(vnodes.freeElements()).isEqualTo(n - 1);
        assertThat(heap.check()).isEmpty();
        assertThatThrownBy(() -> heap.zinit(16, P, 0, "vnodes", false)).hasMessageContaining("exists");
        assertThatThrownBy(() -> heap.zinit(16, 100, 0, "tiny", false)).hasMessageContaining("at least one chunk");
    }

    @Test
    void theMaximumIsEnforcedWithATypedErrorAndTheZoneStaysUsable() {
        ZoneAllocator heap = heap();
        Zone ports = heap.zinit(64, 3 * P, P, "ipc.ports", false);
        List<Long> live = new ArrayList<>();
        int capacity = 3 * ports.elementsPerChunk();
        for (int i = 0; i < capacity; i++) {
            live.add(heap.zalloc(ports));
        }
        assertThat(ports.currentBytes()).isEqualTo(ports.maxBytes());
        assertThatThrownBy(() -> heap.zalloc(ports)).isInstanceOf(ZoneExhaustedException.class)
                .hasMessage("zalloc: zone \"ipc.ports\" exhausted: all 189 elements of 64 bytes in use, at its maximum of 12288 bytes");
        assertThat(ports.inUse()).isEqualTo(capacity);
        assertThat(heap.check()).isEmpty();
        heap.zfree(ports, live.get(7));
        assertThat(heap.zalloc(ports)).isEqualTo(live.get(7));

        Zone soft = heap.zinit(64, P, P, "exhaustible", true);
        for (int i = 0; i < soft.elementsPerChunk(); i++) {
            assertThat(heap.zalloc(soft)).isNotZero();
        }
        assertThat(heap.zalloc(soft)).as("Z_EXHAUST: NULL, not a panic").isZero();
        assertThat(soft.info().line()).endsWith("CX");
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void aKallocZoneAtItsMaximumMakesMallocReturnNull() {
        ZoneAllocator heap = new ZoneAllocator("zone", new FlatMemorySource(MemorySettings.DEFAULTS),
                new ZoneSettings(128 * 1024, 4, 64 * 1024, 7));
        opened.add(heap);
        Zone k16 = heap.kallocZone(16);
        int capacity = (int) (64 * 1024 / k16.chunkBytes() * k16.elementsPerChunk());
        for (int i = 0; i < capacity; i++) {
            assertThat(heap.malloc(16)).isNotZero();
        }
        assertThat(heap.malloc(16)).as("the zone is at its maximum: NULL").isZero();
        assertThat(heap.malloc(17)).as("the next zone is not").isNotZero();
        assertThat(k16.inUse()).isEqualTo(capacity);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void zoneGcGivesEmptyChunksBackAndKeepsTheRestOfTheFreeList() {
        ZoneAllocator heap = heap();
        Zone z = heap.kallocZone(100);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 3 * z.elementsPerChunk(); i++) {
            live.add(heap.malloc(100));
        }
        long keep = live.get(z.elementsPerChunk() + 5); // one element of the second chunk stays
        for (long p : live) {
            if (p != keep) {
                heap.free(p);
            }
        }
        long runsBefore = heap.pages().stats().liveBlocks();
        assertThat(heap.zoneGc()).isEqualTo(2);
        assertThat(z.chunks()).isEqualTo(1);
        assertThat(z.freeElements()).isEqualTo(z.elementsPerChunk() - 1);
        assertThat(heap.pages().stats().liveBlocks()).isEqualTo(runsBefore - 2);
        assertThat(heap.check()).isEmpty();
        assertThat(heap.usableSize(keep)).isEqualTo(128);
        long again = heap.malloc(100);
        assertThat(again & -P).as("allocation continues in the chunk that stayed").isEqualTo(keep & -P);
    }

    @Test
    void elementsAreFoundInEveryPageOfAMultiPageChunk() {
        ZoneAllocator heap = heap();
        Zone z = heap.kallocZone(6000);
        assertThat(z.chunkBytes()).isEqualTo(8 * P);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 2 * z.elementsPerChunk(); i++) {
            live.add(heap.malloc(6000));
        }
        assertThat(live).anyMatch(p -> (p & (8 * P - 1)) >= 4 * P);
        for (long p : live) {
            assertThatThrownBy(() -> heap.free(p + 16)).isInstanceOf(HeapCorruptionException.class)
                    .hasMessageStartingWith("free(): invalid pointer");
            assertThat(heap.usableSize(p)).isEqualTo(6144);
            heap.free(p);
            assertThatThrownBy(() -> heap.free(p)).hasMessageStartingWith("free(): double free detected");
        }
        assertThat(z.inUse()).isZero();
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void badFreesAreReportedBeforeAnythingChanges() {
        ZoneAllocator heap = heap();
        long p = heap.malloc(64);
        long q = heap.malloc(64);
        long big = heap.malloc(50_000);
        heap.free(p);
        assertThatThrownBy(() -> heap.free(p)).hasMessageStartingWith("free(): double free detected");
        assertThatThrownBy(() -> heap.free(q + 32)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(q + 4)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(q & -P)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(big + 2 * P)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(0x1000)).hasMessageStartingWith("free(): invalid pointer");
        Zone other = heap.zinit(64, 16 * P, 0, "other", false);
        assertThatThrownBy(() -> heap.zfree(other, q)).hasMessageContaining("not an element of zone other");
        assertThat(heap.check()).isEmpty();
        heap.free(q);
        heap.free(big);
        assertThat(heap.stats().liveBlocks()).isZero();
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void theCheckerFindsPlantedCorruption() {
        ZoneAllocator heap = uncached();
        long p = heap.malloc(48);
        long q = heap.malloc(48);
        heap.free(q);
        heap.memory().putLong(q + 8, 0);
        assertThat(violations(heap)).anyMatch(v -> v.contains("Z4: a free element's second word is not the key"));
        heap.memory().putLong(q + 8, heap.zones().get(0).key());
        heap.memory().putLong(q, p); // the free list now leads to a live element
        assertThat(violations(heap)).anyMatch(v -> v.contains("Z1: a free element's bitmap bit is set"));
        heap.memory().putLong(q, q + 8);
        assertThat(violations(heap)).anyMatch(v -> v.contains("Z1: a free-list link leads off the zone's elements"));
        heap.memory().putLong(q, 0);
        heap.memory().putLong((p & -P) + ZoneLayout.ZONE, 3);
        assertThat(violations(heap)).anyMatch(v -> v.contains("Z3: the chunk header is not this zone's"));
    }

    @Test
    void randomTrafficKeepsEveryZoneConsistent() {
        ZoneAllocator heap = heap();
        Random random = new Random(11);
        List<Long> live = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            if (live.isEmpty() || random.nextInt(5) < 3) {
                live.add(heap.malloc(random.nextInt(10) == 0 ? random.nextInt(20_000) : random.nextInt(600)));
            } else {
                heap.free(live.remove(random.nextInt(live.size())));
            }
            if (step % 101 == 0) {
                assertThat(heap.check()).as("step %d", step).isEmpty();
            }
        }
        live.forEach(heap::free);
        heap.zoneGc();
        assertThat(heap.check()).isEmpty();
        assertThat(heap.pages().stats().liveBlocks()).as("every chunk collected").isZero();
    }

    @Test
    void zprintShowsEachZone() {
        ZoneAllocator heap = heap();
        for (int i = 0; i < 1000; i++) {
            heap.malloc(16);
        }
        ZoneInfo k16 = heap.kallocZone(16).info();
        assertThat(k16.currentElements()).isEqualTo(4 * 252);
        assertThat(k16.line()).isEqualTo(
                "kalloc.16                      16       16K   262144K       1008   16515072       1000      4K    252  CX");
        assertThat(ZoneInfo.table(heap.zoneInfo())).startsWith(ZoneInfo.HEADER + "\nkalloc.16 ");
        assertThat(new ZoneInfo("a zone with a very long name indeed", 8, 0, 8192, 0, 1024, 0, 4096, 512, false, false)
                .line()).startsWith("a.zone.with.a.very.long.$       8");
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        assertThat(blocks).filteredOn(b -> b.state() == BlockState.ALLOCATED).hasSize(1000);
    }

    // ---- the thread cache ---------------------------------------------------------------------------------

    @Test
    void theThreadCacheHoldsUpToItsCountPerSizeAndTheRestGoToTheZone() {
        ZoneAllocator heap = heap();
        Zone zone = heap.kallocZone(64);
        long[] p = new long[10];
        for (int i = 0; i < p.length; i++) {
            p[i] = heap.malloc(64);
        }
        for (long q : p) {
            heap.free(q);
        }
        // Eight freed elements wait in the cache (seven on the list, the last in the slot), still counted by
        // their zone; two went back to it when the slot's element found the list full.
        assertThat(zone.inUse()).isEqualTo(8);
        assertThat(zone.info().inUse()).isEqualTo(8);
        assertThat(heap.zoneInfo().get(zone.id()).inUse()).isZero();
        assertThat(heap.stats().liveBlocks()).isZero();
        List<Block> allocated = new ArrayList<>();
        heap.walk(b -> {
            if (b.state() == BlockState.ALLOCATED) {
                allocated.add(b);
            }
        });
        assertThat(allocated).isEmpty();
        assertThat(heap.check()).isEmpty();
        // The last element freed comes back first, then the list's, LIFO; the zone is not asked.
        assertThat(heap.malloc(50)).isEqualTo(p[9]);
        assertThat(heap.malloc(64)).isEqualTo(p[6]);
        assertThat(zone.inUse()).isEqualTo(8);
        assertThat(heap.stats().liveBlocks()).isEqualTo(2);
    }

    @Test
    void aCachedElementFreedAgainIsADoubleFree() {
        ZoneAllocator heap = heap();
        long p = heap.malloc(100);
        heap.free(p);
        assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("free(): double free detected in tcache 2");
        assertThatThrownBy(() -> heap.zfree(heap.kallocZone(100), p))
                .hasMessageStartingWith("zfree(): double free detected");
        assertThatThrownBy(() -> heap.realloc(p, 10)).hasMessageStartingWith("realloc(): invalid pointer");
        assertThatThrownBy(() -> heap.usableSize(p)).hasMessageStartingWith("malloc_usable_size(): invalid pointer");
        assertThat(heap.check()).isEmpty();
        assertThat(heap.malloc(100)).isEqualTo(p);
        heap.free(p);
    }

    @Test
    void anElementFreedToItsZoneAndFreedAgainIsADoubleFreeToo() {
        ZoneAllocator heap = heap();
        long[] p = new long[9];
        for (int i = 0; i < p.length; i++) {
            p[i] = heap.malloc(32);
        }
        for (long q : p) {
            heap.free(q); // the eighth goes past the cache, to the zone, when the ninth takes the slot
        }
        heap.malloc(32); // room in the cache again
        assertThatThrownBy(() -> heap.free(p[7])).hasMessageStartingWith("free(): double free detected (");
        // An element of a fresh chunk that was never handed out carries the key too.
        long never = p[0] + 32 * 40;
        assertThatThrownBy(() -> heap.free(never)).hasMessageStartingWith("free(): double free detected (");
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void aWriteAfterFreeOverANextWordIsCaughtAndTheHeapStaysUsable() {
        ZoneAllocator heap = heap();
        long p = heap.malloc(64);
        long q = heap.malloc(64);
        long s = heap.malloc(64);
        heap.free(p);
        heap.free(q);
        heap.free(s); // the slot holds s; the list q, then p
        heap.memory().putLong(q, p + 8); // a use after free: the cached q's next word now points into p
        assertThat(violations(heap)).anyMatch(v -> v.startsWith("T2: tcache bin 3"));
        assertThat(heap.malloc(64)).isEqualTo(s);
        assertThatThrownBy(() -> heap.malloc(64)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("malloc(): unaligned tcache chunk detected");
        long r = heap.malloc(64); // the damaged bin was dropped, p and q with it; the zone serves the request
        assertThat(r).isNotZero().isNotIn(p, q, s);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void zoneGcDrainsTheCacheAndGivesEveryChunkBack() {
        ZoneAllocator heap = heap();
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            live.add(heap.malloc(16 + 16 * (i % 40)));
        }
        live.forEach(heap::free);
        assertThat(heap.zones().stream().mapToLong(Zone::chunks).sum()).isPositive();
        heap.zoneGc();
        assertThat(heap.zones().stream().mapToLong(Zone::chunks).sum()).isZero();
        assertThat(heap.zones().stream().mapToLong(Zone::inUse).sum()).isZero();
        assertThat(heap.check()).isEmpty();
    }
}
