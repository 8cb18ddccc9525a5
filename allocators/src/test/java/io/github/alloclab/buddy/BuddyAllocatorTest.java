package io.github.alloclab.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The algorithm as the javadoc draws it, and a checker that finds each planted corruption. */
class BuddyAllocatorTest {

    /** Small limits keep each source cheap to make: the flat source zeroes its reservations up front. */
    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(2 << 20).withMmapLimit(4 << 20);
    private static final long ARENA = 256 * 1024;
    /** The layouts the javadoc draws: 256 KiB arenas (the defaults are measured, and may change). */
    private static final BuddySettings MAP = new BuddySettings(16, 14, BuddySettings.Source.BRK, BuddySettings.Metadata.ORDER_MAP, true);
    private static final BuddySettings HEADER = new BuddySettings(32, 13, BuddySettings.Source.BRK, BuddySettings.Metadata.HEADER, true);
    private static final BuddySettings MMAP = new BuddySettings(16, 14, BuddySettings.Source.MMAP, BuddySettings.Metadata.ORDER_MAP, true);

    private final List<BuddyAllocator> opened = new ArrayList<>();

    private BuddyAllocator heap(BuddySettings settings) {
        return heap(settings, SMALL);
    }

    private BuddyAllocator heap(BuddySettings settings, MemorySettings memory) {
        BuddyAllocator heap = new BuddyAllocator("buddy", new FlatMemorySource(memory), settings);
        opened.add(heap);
        return heap;
    }

    @AfterEach
    void close() {
        opened.forEach(BuddyAllocator::close);
    }

    private static List<Long> counts(long... perOrder) {
        List<Long> list = new ArrayList<>();
        for (long c : perOrder) {
            list.add(c);
        }
        return list;
    }

    private static List<Block> blocks(BuddyAllocator heap) {
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        return blocks;
    }

    private static List<String> violations(BuddyAllocator heap) {
        return heap.check().stream().map(Violation::message).toList();
    }

    @Test
    void aNewArenaIsTheOrderMapAndOneFreeBlockPerOrderAbove() {
        var heap = heap(MAP);
        long base = heap.memory().heapStart();
        long p = heap.malloc(1);
        // The lowest free order is 10 (16 KiB, right above the 16 KiB map); it splits down to order 0.
        assertThat(p).isEqualTo(base + 16 * 1024);
        assertThat(heap.usableSize(p)).isEqualTo(16);
        assertThat(heap.memory().brk()).isEqualTo(base + ARENA);
        assertThat(heap.buddyInfo().freeBlocks())
                .isEqualTo(counts(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0));
        assertThat(heap.buddyInfo().line()).isEqualTo("Node 0, zone   Normal "
                + "     1 ".repeat(10) + "     0 " + "     1 ".repeat(3) + "     0 ");
        List<Block> blocks = blocks(heap);
        assertThat(blocks.getFirst()).isEqualTo(new Block(base, 16 * 1024, base, 0, BlockState.METADATA));
        assertThat(blocks.get(1)).isEqualTo(new Block(p, 16, p, 16, BlockState.ALLOCATED));
        assertThat(blocks.stream().mapToLong(Block::byteSize).sum()).as("the walk covers the arena").isEqualTo(ARENA);
        heap.free(p);
        assertThat(heap.buddyInfo().freeBlocks()).as("everything merged back")
                .isEqualTo(counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0));
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void blocksArePowersOfTwoAndBuddiesAreAdjacent() {
        var heap = heap(MAP);
        long a = heap.malloc(100);  // 128
        long b = heap.malloc(100);  // its buddy, split off by the first
        long c = heap.malloc(17);   // 32
        assertThat(heap.usableSize(a)).isEqualTo(128);
        long base = heap.memory().heapStart();
        assertThat(b - base).as("b is a's buddy: offset XOR 128").isEqualTo((a - base) ^ 128);
        assertThat(heap.usableSize(c)).isEqualTo(32);
        assertThat(heap.buddyStats().roundingWaste()).isEqualTo(28 + 28 + 15);
        heap.free(a);
        assertThat(heap.buddyStats().merges()).as("a's buddy b is in use").isZero();
        heap.free(b);
        assertThat(heap.buddyStats().merges()).as("a and b merged, then up to c's level").isPositive();
        heap.free(c);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void headersCostAnOrderForPowerOfTwoRequests() {
        var map = heap(MAP);
        var header = heap(HEADER);
        long p = map.malloc(64);
        long q = header.malloc(64);
        assertThat(map.usableSize(p)).isEqualTo(64);
        assertThat(header.usableSize(q)).isEqualTo(128 - 16);
        assertThat(q % 16).isZero();
        assertThat(header.memory().getLong(q - 16)).as("the header in front of the payload")
                .isEqualTo(BuddyLayout.headerWord(q - 16, BuddyLayout.tag(BuddyLayout.ALLOCATED, 2)));
        assertThat(header.buddyStats().roundingWaste()).isEqualTo(64);
        assertThat(header.buddyStats().metadataBytes()).isZero();
        assertThat(map.buddyStats().metadataBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void largeRequestsAreMappedAndUnmapped() {
        var heap = heap(MAP);
        long inArena = heap.malloc(128 * 1024);
        long large = heap.malloc(128 * 1024 + 1);
        assertThat(heap.memory().isMapped(large, 128 * 1024 + 1)).isTrue();
        assertThat(large).isGreaterThan(heap.memory().brk());
        assertThat(heap.usableSize(large)).isEqualTo(135168 - 48); // 33 pages, less the header
        assertThat(heap.stats().mappedBytes()).isEqualTo(33 * 4096);
        assertThat(heap.buddyStats().largeBlocks()).isOne();
        assertThat(blocks(heap)).last().isEqualTo(new Block(large - 48, 33 * 4096, large, 135168 - 48, BlockState.ALLOCATED));
        heap.free(large);
        heap.free(inArena);
        assertThat(heap.stats().mappedBytes()).isZero();
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void emptyArenasGoBackButTheLowestBrkArenaStays() {
        var heap = heap(MAP);
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blocks.add(heap.malloc(100_000)); // one 128 KiB block per arena
        }
        assertThat(heap.buddyStats().arenas()).isEqualTo(5);
        assertThat(heap.memory().brk() - heap.memory().heapStart()).isEqualTo(5 * ARENA);
        heap.free(blocks.get(3));
        assertThat(heap.buddyStats().arenas()).as("arena 3 is empty but not at the top").isEqualTo(5);
        heap.free(blocks.get(4));
        assertThat(heap.buddyStats().arenas()).as("arenas 4 and 3 trimmed").isEqualTo(3);
        heap.free(blocks.get(0));
        heap.free(blocks.get(1));
        heap.free(blocks.get(2));
        assertThat(heap.buddyStats().arenas()).isOne();
        assertThat(heap.memory().brk() - heap.memory().heapStart()).isEqualTo(ARENA);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void withoutReleaseEmptyArenasAreKept() {
        var keep = new BuddySettings(16, 14, BuddySettings.Source.MMAP, BuddySettings.Metadata.ORDER_MAP, false);
        var heap = heap(keep);
        long a = heap.malloc(100_000);
        long b = heap.malloc(100_000);
        heap.free(a);
        heap.free(b);
        assertThat(heap.buddyStats().arenas()).isEqualTo(2);
        assertThat(heap.stats().mappedBytes()).isEqualTo(2 * ARENA);
        assertThat(heap.stats().freeBytes() + heap.buddyStats().metadataBytes()).isEqualTo(2 * ARENA);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void mmapArenasAreMappedAndUnmappedWhenEmpty() {
        var heap = heap(MMAP);
        long p = heap.malloc(24);
        assertThat(heap.memory().brk()).isEqualTo(heap.memory().heapStart());
        assertThat(heap.stats().mappedBytes()).isEqualTo(ARENA);
        assertThat(heap.buddyStats().arenas()).isOne();
        heap.free(p);
        assertThat(heap.stats().mappedBytes()).isZero();
        assertThat(heap.buddyStats().arenas()).isZero();
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void whenTheHeapCannotGrowArenasComeFromMmap() {
        var oneArena = MemorySettings.DEFAULTS.withHeapLimit(ARENA).withMmapLimit(1 << 20);
        var heap = heap(MAP, oneArena);
        long a = heap.malloc(100_000);
        long b = heap.malloc(100_000);
        assertThat(a).isLessThan(heap.memory().brk());
        assertThat(b).as("second arena mapped").isGreaterThan(heap.memory().brk());
        assertThat(heap.check()).isEmpty();
        heap.free(b);
        assertThat(heap.stats().mappedBytes()).isZero();
        heap.free(a);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void reallocGrowsIntoFreeUpperBuddiesAndShrinksInPlace() {
        var heap = heap(MAP);
        long p = heap.malloc(100); // 128 at the bottom of the split block: its upper buddies are free
        heap.memory().fill(p, 100, (byte) 7);
        long q = heap.realloc(p, 1000);
        assertThat(q).as("grown in place").isEqualTo(p);
        assertThat(heap.usableSize(q)).isEqualTo(1024);
        long r = heap.realloc(q, 20);
        assertThat(r).as("shrunk in place").isEqualTo(p);
        assertThat(heap.usableSize(r)).isEqualTo(32);
        assertThat(heap.memory().getByte(r + 19)).isEqualTo((byte) 7);
        assertThat(heap.check()).isEmpty();
        long neighbour = heap.malloc(32); // takes r's buddy
        assertThat(neighbour).isEqualTo(r + 32);
        long moved = heap.realloc(r, 40);
        assertThat(moved).as("the buddy is taken: move").isNotEqualTo(r);
        assertThat(heap.memory().getByte(moved + 19)).isEqualTo((byte) 7);
        heap.free(moved);
        heap.free(neighbour);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void anUpperHalfNeverGrowsIntoTheBlockAfterIt() {
        var heap = heap(MAP);
        long a = heap.malloc(16);
        long b = heap.malloc(16); // a's buddy: the upper half of their 32-byte parent
        long c = heap.malloc(16);
        heap.malloc(16);          // c's buddy, so that c stays a free block of order 0 once freed
        heap.free(c);
        assertThat(c).isEqualTo(b + 16);
        // c is free and of b's order, but it is not b's buddy: b + c would be a 32-byte block at an odd offset.
        long moved = heap.realloc(b, 32);
        assertThat(moved).isNotEqualTo(b);
        assertThat(heap.check()).isEmpty();
        heap.free(a);
        heap.free(moved);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void memalignUsesNaturalAlignmentUpToAPageAndMmapAbove() {
        var heap = heap(MAP);
        long page = heap.memalign(4096, 10);
        assertThat(page % 4096).isZero();
        assertThat(heap.stats().mappedBytes()).as("a 4 KiB arena block, not a mapping").isZero();
        long big = heap.memalign(65536, 10);
        assertThat(big % 65536).isZero();
        assertThat(heap.stats().mappedBytes()).as("only the pages around the aligned payload stay mapped")
                .isEqualTo(2 * 4096);
        heap.free(big);
        heap.free(page);
        var header = heap(HEADER);
        long aligned = header.memalign(64, 10);
        assertThat(aligned % 64).isZero();
        assertThat(header.stats().mappedBytes()).as("behind a header, any alignment above 16 is mapped").isPositive();
        header.free(aligned);
        assertThat(heap.check()).isEmpty();
        assertThat(header.check()).isEmpty();
    }

    @Test
    void theByteLadderAddsUp() {
        for (BuddySettings settings : List.of(MAP, HEADER, MMAP)) {
            var heap = heap(settings);
            List<Long> live = new ArrayList<>();
            for (int i = 1; i < 400; i++) {
                live.add(heap.malloc(i * 37L % 5000));
                if (i % 3 == 0) {
                    heap.free(live.remove(i % live.size()));
                }
            }
            live.add(heap.malloc(300_000));
            HeapStats stats = heap.stats();
            BuddyStats buddy = heap.buddyStats();
            assertThat(stats.metadataBytes()).as("%s: footprint - allocated - free", settings.metadata())
                    .isEqualTo(buddy.metadataBytes());
            assertThat(stats.liveBlocks()).isEqualTo(live.size());
            assertThat(heap.buddyInfo().freeBytes()).isEqualTo(stats.freeBytes());
            assertThat(heap.buddyInfo().exact()).isTrue();
            long arenaBytes = buddy.arenas() * ARENA;
            assertThat(heap.buddyInfo().freeBytes() + stats.allocatedBytes() - buddy.largeBytes() + buddy.metadataBytes())
                    .as("sum of free blocks + allocated + order maps = arenas").isEqualTo(arenaBytes);
            assertThat(heap.check()).isEmpty();
        }
    }

    // ---- misuse -------------------------------------------------------------------------------------------

    @Test
    void glibcWordingForMisuseEvenAfterTheFreedBlockMerged() {
        for (BuddySettings settings : List.of(MAP, HEADER)) {
            var heap = heap(settings);
            long a = heap.malloc(10);
            long p = heap.malloc(10);     // a's buddy
            long keep = heap.malloc(100); // a 128-byte block
            heap.free(a);
            heap.free(p);                 // merges with a: no block starts at p any more
            assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                    .hasMessageStartingWith("free(): double free detected");
            assertThatThrownBy(() -> heap.free(a)).hasMessageStartingWith("free(): double free detected");
            assertThatThrownBy(() -> heap.free(keep + 16)).hasMessageStartingWith("free(): invalid pointer");
            assertThatThrownBy(() -> heap.free(keep + 8)).hasMessageStartingWith("free(): invalid pointer");
            assertThatThrownBy(() -> heap.realloc(keep + 32, 10)).hasMessageStartingWith("realloc(): invalid pointer");
            assertThatThrownBy(() -> heap.usableSize(0x1000)).hasMessageStartingWith("malloc_usable_size(): invalid pointer");
            assertThat(heap.check()).isEmpty();
            heap.free(keep);
            assertThat(heap.check()).isEmpty();
        }
        var heap = heap(MAP);
        heap.malloc(1);
        long map = heap.memory().heapStart();
        assertThatThrownBy(() -> heap.free(map)).as("the order map").hasMessageStartingWith("free(): invalid pointer");
        long large = heap.malloc(500_000);
        heap.free(large);
        assertThatThrownBy(() -> heap.free(large)).as("an unmapped large block").hasMessageStartingWith("free(): invalid pointer");
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void misuseIsReportedWithItsKind() {
        for (BuddySettings settings : List.of(MAP, HEADER)) {
            var heap = heap(settings);
            long a = heap.malloc(10);
            long p = heap.malloc(10);     // a's buddy
            long keep = heap.malloc(100);
            heap.free(p);
            assertThatThrownBy(() -> heap.free(p)).as("%s: a double free", settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE));
            heap.free(a);                 // merges with p: no block starts at p any more
            assertThatThrownBy(() -> heap.free(p)).as("%s: a double free into a merged block", settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE));
            assertThatThrownBy(() -> heap.free(keep + 8)).as("%s: a misaligned pointer into a live block",
                            settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INTERIOR_POINTER));
            assertThatThrownBy(() -> heap.free(keep + 16)).as("%s: an aligned pointer into a live block",
                            settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class, e -> assertThat(e)
                            .extracting(HeapCorruptionException::reason, HeapCorruptionException::kind)
                            .containsExactly("free(): invalid pointer", CorruptionKind.INTERIOR_POINTER));
            assertThatThrownBy(() -> heap.free(p + 8)).as("%s: a misaligned pointer into a free block",
                            settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
            assertThatThrownBy(() -> heap.free(0x1000)).as("%s: a pointer outside every arena", settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
            assertThatThrownBy(() -> heap.realloc(p, 10)).as("%s: realloc of a freed block", settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
            long large = heap.malloc(500_000);
            heap.free(large);
            assertThatThrownBy(() -> heap.free(large)).as("%s: an unmapped large block", settings.metadata())
                    .isInstanceOfSatisfying(HeapCorruptionException.class,
                            e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
            heap.free(keep);
            assertThat(heap.check()).isEmpty();
        }
    }

    // ---- the checker finds what is planted --------------------------------------------------------------

    @Test
    void checkerFindsAStrayByteInTheOrderMap() {
        var heap = heap(MAP);
        long p = heap.malloc(100); // 128 bytes: 8 map bytes, the first its tag
        long slot = heap.memory().heapStart() + ((p - heap.memory().heapStart()) >>> 4);
        assertThat(heap.memory().getByte(slot) & 0xFF).isEqualTo(BuddyLayout.tag(BuddyLayout.ALLOCATED, 3));
        heap.memory().putByte(slot + 3, (byte) 0x80);
        assertThat(violations(heap)).anyMatch(m -> m.contains("order map byte"));
    }

    @Test
    void checkerFindsUnmergedBuddiesAndAnUnlistedFreeBlock() {
        var heap = heap(MAP);
        long a = heap.malloc(16);
        long b = heap.malloc(16);
        heap.malloc(16);
        heap.free(a);
        // Mark b free by hand, as a buggy free that forgot to merge and to list it would.
        long slot = heap.memory().heapStart() + ((b - heap.memory().heapStart()) >>> 4);
        heap.memory().putByte(slot, (byte) BuddyLayout.tag(BuddyLayout.FREE, 0));
        assertThat(violations(heap)).anyMatch(m -> m.contains("escaped merging"))
                .anyMatch(m -> m.contains("not on its free list"))
                .anyMatch(m -> m.contains("allocated blocks of order 0 are counted"));
    }

    @Test
    void checkerFindsABrokenFreeListLink() {
        var heap = heap(MAP);
        long a = heap.malloc(16);
        heap.malloc(16);
        heap.free(a);
        long listed = heap.freeLists().head(1);
        heap.memory().putLong(listed, listed + 1000);
        assertThat(violations(heap)).anyMatch(m -> m.contains("which is not a free block of order 1"));
    }

    @Test
    void checkerFindsAnOverrunIntoTheNextHeader() {
        var heap = heap(HEADER);
        long p = heap.malloc(16); // a 32-byte block; the next block's header is right after it
        heap.malloc(16);
        assertThat(heap.check()).isEmpty();
        heap.memory().fill(p, 20, (byte) 0x41); // four bytes too many
        assertThat(violations(heap)).anyMatch(m -> m.contains("no block starts"));
    }

    @Test
    void checkerFindsALargeHeaderOverwritten() {
        var heap = heap(MAP);
        long large = heap.malloc(200_000);
        heap.memory().putLong(large - 48, 42);
        assertThat(violations(heap)).anyMatch(m -> m.contains("large block header is corrupt"));
    }

    @Test
    void theDefaultsAreSixtyFourKibArenasOfSixteenByteBlocks() {
        assertThat(BuddySettings.DEFAULTS.arenaBytes()).isEqualTo(64 * 1024);
        assertThat(BuddySettings.HEADERS.arenaBytes()).isEqualTo(64 * 1024);
        assertThat(BuddySettings.MAPPED.arenaBytes()).isEqualTo(64 * 1024);
        var heap = heap(BuddySettings.DEFAULTS);
        assertThat(heap.usableSize(heap.malloc(32 * 1024))).as("the largest arena block").isEqualTo(32 * 1024);
        assertThat(heap.stats().mappedBytes()).isZero();
        heap.malloc(32 * 1024 + 1);
        assertThat(heap.stats().mappedBytes()).as("above it, mmap").isEqualTo(9 * 4096);
        assertThat(heap.buddyInfo().freeBlocks()).hasSize(13);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new BuddySettings(24, 14, BuddySettings.Source.BRK, BuddySettings.Metadata.ORDER_MAP, true))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> new BuddySettings(16, 14, BuddySettings.Source.BRK, BuddySettings.Metadata.HEADER, true))
                .hasMessageContaining("at least 32");
        assertThatThrownBy(() -> new BuddySettings(16, 27, BuddySettings.Source.BRK, BuddySettings.Metadata.ORDER_MAP, true))
                .hasMessageContaining("1 GiB");
        try (var memory = new FlatMemorySource(SMALL)) {
            assertThatThrownBy(() -> new BuddyAllocator("buddy", memory,
                    new BuddySettings(16, 6, BuddySettings.Source.BRK, BuddySettings.Metadata.ORDER_MAP, true)))
                    .hasMessageContaining("at least a page");
        }
    }
}
