package io.github.alloclab.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The algorithm as the javadoc draws it, the page API, and a checker that finds each planted corruption. */
class PageAllocatorTest {

    private static final long P = 4096;
    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(0).withMmapLimit(8 << 20);

    private final List<PageAllocator> opened = new ArrayList<>();

    private PageAllocator heap(PageSettings settings, MemorySettings memory) {
        PageAllocator heap = new PageAllocator("page", new FlatMemorySource(memory), settings);
        opened.add(heap);
        return heap;
    }

    private PageAllocator heap() {
        return heap(PageSettings.DEFAULTS, SMALL);
    }

    @AfterEach
    void close() {
        opened.forEach(PageAllocator::close);
    }

    private static List<Block> blocks(PageAllocator heap) {
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        return blocks;
    }

    private static List<String> violations(PageAllocator heap) {
        return heap.check().stream().map(Violation::message).toList();
    }

    // ---- layout arithmetic, exhaustively ----------------------------------------------------------------

    @Test
    void metadataPagesAreTheFewestThatHoldTheHeaderAndMap() {
        for (long pageSize : new long[] {4096, 16384}) {
            for (long c = 2; c <= 8192; c++) {
                long m = PageLayout.metadataPages(c, pageSize);
                assertThat(PageLayout.HEADER + PageLayout.ENTRY * (c - m)).as("C=%d: M=%d holds the map", c, m)
                        .isLessThanOrEqualTo(m * pageSize);
                assertThat(PageLayout.HEADER + PageLayout.ENTRY * (c - m + 1)).as("C=%d: M-1 does not", c)
                        .isGreaterThan((m - 1) * pageSize);
            }
        }
        assertThat(PageLayout.metadataPages(256, 4096)).isEqualTo(2);
    }

    @Test
    void aHugeChunkIsTheSmallestThatHoldsItsRun() {
        for (long n = 1; n <= 20_000; n++) {
            long c = PageLayout.chunkPagesFor(n, P);
            assertThat(PageLayout.dataPages(c, P)).as("chunk for %d pages", n).isGreaterThanOrEqualTo(n);
            assertThat(PageLayout.dataPages(c - 1, P)).as("one page less does not hold %d", n).isLessThan(n);
        }
        long n = 1L << 40;
        assertThat(PageLayout.dataPages(PageLayout.chunkPagesFor(n, P), P)).isGreaterThanOrEqualTo(n);
    }

    // ---- the algorithm ------------------------------------------------------------------------------------

    @Test
    void aChunkIsTwoMetadataPagesAndOneFreeRun() {
        var heap = heap();
        long p = heap.malloc(1);
        long chunk = blocks(heap).getFirst().address();
        assertThat(p).isEqualTo(chunk + 2 * P);
        assertThat(heap.usableSize(p)).isEqualTo(P);
        assertThat(heap.memory().mappedBytes()).isEqualTo(1 << 20);
        assertThat(blocks(heap)).containsExactly(
                new Block(chunk, 2 * P, chunk, 0, BlockState.METADATA),
                new Block(p, P, p, P, BlockState.ALLOCATED),
                new Block(p + P, 253 * P, p + P, 253 * P, BlockState.FREE));
        var stats = heap.pageStats();
        assertThat(stats.pagesInUse()).isOne();
        assertThat(stats.freeRunsBySize()).isEqualTo(Map.of(253L, 1L));
        assertThat(stats.mappedPages()).isEqualTo(256);
        // 253 pages: order 7 (128 <= 253 < 256)
        assertThat(heap.buddyInfo().freeBlocks()).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L);
        assertThat(heap.buddyInfo().freeBytes()).as("the run's real size, not 128 pages").isEqualTo(253 * P);
        assertThat(heap.buddyInfo().exact()).isFalse();
        assertThat(heap.check()).isEmpty();
        heap.free(p);
        assertThat(heap.memory().mappedBytes()).as("the empty chunk is unmapped").isZero();
    }

    @Test
    void bestFitBySizeThenLowestAddress() {
        var heap = heap();
        long[] r = new long[8];
        long[] sizes = {3, 1, 2, 1, 3, 1, 2, 1};
        for (int i = 0; i < r.length; i++) {
            r[i] = heap.allocateRun(sizes[i]);
        }
        heap.freeRun(r[0]); // 3 pages, lowest
        heap.freeRun(r[2]); // 2 pages
        heap.freeRun(r[4]); // 3 pages, higher
        heap.freeRun(r[6]); // 2 pages, higher
        long before = heap.stats().searchSteps();
        assertThat(heap.allocateRun(2)).as("exact fit, lowest address").isEqualTo(r[2]);
        assertThat(heap.stats().searchSteps()).isGreaterThan(before);
        assertThat(heap.allocateRun(2)).isEqualTo(r[6]);
        assertThat(heap.allocateRun(1)).as("no 1-page run: the lowest 3-page run splits").isEqualTo(r[0]);
        assertThat(heap.allocateRun(2)).as("its 2-page rest is the best fit now").isEqualTo(r[0] + P);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void freeMergesWithBothNeighbours() {
        var heap = heap();
        long a = heap.allocateRun(2);
        long b = heap.allocateRun(3);
        long c = heap.allocateRun(1);
        long guard = heap.allocateRun(1);
        heap.freeRun(a);
        heap.freeRun(c);
        assertThat(heap.pageStats().freeRunsBySize()).isEqualTo(Map.of(2L, 1L, 1L, 1L, 247L, 1L));
        heap.freeRun(b);
        assertThat(heap.pageStats().freeRunsBySize()).as("a, b and c are one run").isEqualTo(Map.of(6L, 1L, 247L, 1L));
        assertThat(heap.allocateRun(6)).isEqualTo(a);
        assertThat(heap.check()).isEmpty();
        heap.freeRun(a);
        heap.freeRun(guard);
        assertThat(heap.pageStats().chunks()).isZero();
    }

    @Test
    void emptyChunksStayWhenAskedAndHugeChunksAlwaysGo() {
        var heap = heap(new PageSettings(1 << 20, false), SMALL);
        long p = heap.malloc(10_000);
        heap.free(p);
        assertThat(heap.pageStats().chunks()).isOne();
        assertThat(heap.memory().mappedBytes()).isEqualTo(1 << 20);
        long huge = heap.malloc(3 << 20);
        assertThat(heap.pageStats().hugeChunks()).isOne();
        assertThat(heap.usableSize(huge)).isEqualTo(3 << 20);
        assertThat(heap.memory().mappedBytes()).isEqualTo((1 << 20) + (3 << 20) + 7 * P); // 768 pages + 7 metadata
        heap.free(huge);
        assertThat(heap.pageStats().hugeChunks()).isZero();
        assertThat(heap.memory().mappedBytes()).isEqualTo(1 << 20);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void whenAChunkDoesNotFitHalvesAreTried() {
        var heap = heap(PageSettings.DEFAULTS, MemorySettings.DEFAULTS.withHeapLimit(0).withMmapLimit(256 * 1024));
        long p = heap.malloc(1);
        assertThat(heap.memory().mappedBytes()).isEqualTo(256 * 1024);
        assertThat(heap.pageStats().metadataPages()).isOne(); // 64 pages need one
        int n = 1;
        while (heap.malloc(1) != 0) {
            n++;
        }
        assertThat(n).isEqualTo(63);
        assertThat(heap.malloc(1L << 40)).isZero();
        heap.free(p);
        assertThat(heap.malloc(4096)).isEqualTo(p);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void alignedRunsLeaveTheirLeadAndTailFree() {
        var heap = heap();
        heap.allocateRun(1);
        long aligned = heap.allocateRun(3, 64 * 1024);
        assertThat(aligned % (64 * 1024)).isZero();
        assertThat(heap.runPages(aligned)).isEqualTo(3);
        long viaMemalign = heap.memalign(1 << 20, 100);
        assertThat(viaMemalign % (1 << 20)).isZero();
        assertThat(heap.check()).isEmpty();
        heap.freeRun(aligned);
        heap.free(viaMemalign);
        assertThat(heap.check()).isEmpty();
        assertThat(heap.stats().liveBlocks()).isOne();
    }

    @Test
    void reallocShrinksAndGrowsInPlace() {
        var heap = heap();
        long p = heap.malloc(5 * P);
        heap.memory().putLong(p, 42);
        long q = heap.realloc(p, 2 * P);
        assertThat(q).isEqualTo(p);
        assertThat(heap.usableSize(q)).isEqualTo(2 * P);
        long r = heap.realloc(q, 9 * P);
        assertThat(r).as("the freed tail and the rest of the chunk are right after it").isEqualTo(p);
        assertThat(heap.usableSize(r)).isEqualTo(9 * P);
        long blocker = heap.malloc(P);
        assertThat(blocker).isEqualTo(p + 9 * P);
        long moved = heap.realloc(r, 10 * P);
        assertThat(moved).isNotEqualTo(p);
        assertThat(heap.memory().getLong(moved)).isEqualTo(42);
        assertThat(heap.check()).isEmpty();
    }

    // ---- the page API -----------------------------------------------------------------------------------

    @Test
    void privateWordsBelongToEachPageOfAnAllocatedRunUntilItIsFreed() {
        var heap = heap();
        long run = heap.allocateRun(3);
        heap.allocateRun(1); // keeps the chunk mapped once run is freed
        for (int i = 0; i < 3; i++) {
            assertThat(heap.pagePrivate(run + i * P + 100)).isZero();
            heap.setPagePrivate(run + i * P, 0xABC0 + i);
        }
        assertThat(heap.pagePrivate(run + 2 * P + 4000)).isEqualTo(0xABC2);
        assertThat(heap.check()).isEmpty();
        heap.freeRun(run);
        assertThat(heap.check()).as("a free run's entries are clear").isEmpty();
        long again = heap.allocateRun(3);
        assertThat(again).isEqualTo(run);
        for (int i = 0; i < 3; i++) {
            assertThat(heap.pagePrivate(again + i * P)).as("page %d after reuse", i).isZero();
        }
        long free = again + 4 * P; // past the one-page run that keeps the chunk
        assertThatThrownBy(() -> heap.setPagePrivate(free, 1)).hasMessageContaining("free run");
        assertThatThrownBy(() -> heap.pagePrivate(0x1000)).isInstanceOf(HeapCorruptionException.class);
    }

    @Test
    void glibcWordingForMisuse() {
        var heap = heap();
        long a = heap.allocateRun(2);
        long b = heap.allocateRun(2);
        heap.allocateRun(1);
        heap.free(b);
        heap.free(a); // merges with b: no run starts at b now
        assertThatThrownBy(() -> heap.free(a)).hasMessageStartingWith("free(): double free detected");
        assertThatThrownBy(() -> heap.free(b)).hasMessageStartingWith("free(): double free detected");
        long c = heap.allocateRun(4);
        assertThatThrownBy(() -> heap.free(c + P)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.free(c + 16)).hasMessageStartingWith("free(): invalid pointer");
        long chunk = blocks(heap).getFirst().address();
        assertThatThrownBy(() -> heap.free(chunk)).as("the page map").hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.runPages(c + P)).hasMessageStartingWith("runPages(): invalid pointer");
        assertThatThrownBy(() -> heap.allocateRun(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.allocateRun(1, 3000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void misuseIsReportedWithItsKind() {
        var heap = heap();
        long a = heap.allocateRun(2);
        long b = heap.allocateRun(2);
        heap.allocateRun(1);
        heap.free(b);
        assertThatThrownBy(() -> heap.free(b)).as("a double free")
                .isInstanceOfSatisfying(HeapCorruptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE));
        heap.free(a); // merges with b: no run starts at b now
        assertThatThrownBy(() -> heap.free(b)).as("a double free into a merged run")
                .isInstanceOfSatisfying(HeapCorruptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(CorruptionKind.DOUBLE_FREE));
        assertThatThrownBy(() -> heap.realloc(a, 10)).as("realloc of a freed run")
                .isInstanceOfSatisfying(HeapCorruptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
        long c = heap.allocateRun(4);
        assertThatThrownBy(() -> heap.free(c + 16)).as("a pointer inside a live run's first page")
                .isInstanceOfSatisfying(HeapCorruptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INTERIOR_POINTER));
        assertThatThrownBy(() -> heap.free(c + 2 * heap.pageSize())).as("a live run's third page")
                .isInstanceOfSatisfying(HeapCorruptionException.class, e -> assertThat(e)
                        .extracting(HeapCorruptionException::reason, HeapCorruptionException::kind)
                        .containsExactly("free(): invalid pointer", CorruptionKind.INTERIOR_POINTER));
        long d = heap.allocateRun(1);
        heap.free(d);
        assertThatThrownBy(() -> heap.free(d + 16)).as("a pointer into a free run")
                .isInstanceOfSatisfying(HeapCorruptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
        assertThatThrownBy(() -> heap.free(0x1000)).as("a pointer outside every chunk")
                .isInstanceOfSatisfying(HeapCorruptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(CorruptionKind.INVALID_POINTER));
        assertThat(heap.check()).isEmpty();
    }

    // ---- the checker finds what is planted --------------------------------------------------------------

    private static long entryOf(PageAllocator heap, long run) {
        long chunk = blocks(heap).getFirst().address();
        return PageLayout.entry(chunk, (run - chunk) / P - 2);
    }

    @Test
    void checkerFindsALastTagThatDisagrees() {
        var heap = heap();
        long run = heap.allocateRun(3);
        long last = entryOf(heap, run) + 2 * PageLayout.ENTRY;
        assertThat(heap.memory().getLong(last)).isEqualTo(PageLayout.tag(3, PageLayout.LAST, PageLayout.ALLOCATED));
        heap.memory().putLong(last, PageLayout.tag(2, PageLayout.LAST, PageLayout.ALLOCATED));
        assertThat(violations(heap)).anyMatch(m -> m.contains("last tag"));
    }

    @Test
    void checkerFindsAdjacentFreeRunsAndAnUnindexedRun() {
        var heap = heap();
        long a = heap.allocateRun(1);
        long b = heap.allocateRun(1);
        heap.allocateRun(1);
        heap.freeRun(a);
        // Mark b free by hand, as a free that neither merged nor indexed it would.
        heap.memory().putLong(entryOf(heap, b), PageLayout.tag(1, PageLayout.FIRST | PageLayout.LAST, PageLayout.FREE));
        heap.memory().putLong(entryOf(heap, b) + PageLayout.RUN, b);
        assertThat(violations(heap)).anyMatch(m -> m.contains("escaped merging"))
                .anyMatch(m -> m.contains("the index holds"))
                .anyMatch(m -> m.contains("counted 2 runs"));
    }

    @Test
    void checkerFindsABrokenIndexLink() {
        var heap = heap();
        long a = heap.allocateRun(1);
        heap.allocateRun(1);
        heap.freeRun(a);
        long root = heap.index().root();
        long child = heap.index().leftOf(root) != 0 ? PageLayout.LEFT : PageLayout.RIGHT;
        heap.memory().putLong(root + child, root + 8); // not an entry of any free run
        assertThat(violations(heap)).isNotEmpty();
        heap.memory().putLong(root + child, root);     // a cycle
        assertThat(violations(heap)).anyMatch(m -> m.contains("cycle"));
    }

    @Test
    void checkerFindsAnOverwrittenChunkHeader() {
        var heap = heap();
        heap.malloc(1);
        long chunk = blocks(heap).getFirst().address();
        heap.memory().putLong(chunk, 0);
        assertThat(violations(heap)).anyMatch(m -> m.contains("canary"));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new PageSettings(3 << 20, true)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new PageSettings(8192, true)).hasMessageContaining("16K");
    }
}
