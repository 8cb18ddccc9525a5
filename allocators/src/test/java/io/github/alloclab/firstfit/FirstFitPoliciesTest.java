package io.github.alloclab.firstfit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.memory.FlatMemorySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What each fit, list order and coalescing policy does, on a fixed heap of 100 units of 32 bytes, where the
 * free list reads as OSTEP's malloc.py prints it: {@code [unit offset:units]} in search order.
 */
class FirstFitPoliciesTest {

    private static final FirstFitSettings EXPLICIT = FirstFitSettings.DEFAULTS;

    /** Free blocks of 5, 3 and 8 units at 0, 6 and 10, kept apart by allocated ones, then the rest at 19. */
    private static UnitHeap threeHoles(FirstFitSettings settings) {
        UnitHeap heap = new UnitHeap(100, settings);
        long[] sizes = {5, 1, 3, 1, 8, 1};
        for (long size : sizes) {
            heap.alloc(size);
        }
        heap.free(0);
        heap.free(6);
        heap.free(10);
        return heap;
    }

    @ParameterizedTest(name = "{0} fit takes the block at {1} after {2} steps")
    @CsvSource({"first, 0, 1, [3:2][6:3][10:8][19:81]", "best, 6, 4, [0:5][10:8][19:81]",
            "worst, 19, 4, [0:5][6:3][10:8][22:78]", "next, 19, 1, [0:5][6:3][10:8][22:78]"})
    void fitPoliciesPickTheirBlockAndCountTheSteps(String fit, long at, long steps, String list) {
        try (UnitHeap heap = threeHoles(EXPLICIT.withOrder(ListOrder.ADDRESS).withFit(Fit.valueOf(fit.toUpperCase())))) {
            assertThat(heap.list()).isEqualTo("[0:5][6:3][10:8][19:81]");
            assertThat(heap.alloc(3)).isEqualTo(at);
            assertThat(heap.steps()).isEqualTo(steps);
            assertThat(heap.list()).as("the remainder keeps the split block's place").isEqualTo(list);
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void nextFitResumesWhereTheLastSearchStoppedAndWrapsAround() {
        try (UnitHeap next = threeHoles(EXPLICIT.withOrder(ListOrder.ADDRESS).withFit(Fit.NEXT));
             UnitHeap first = threeHoles(EXPLICIT.withOrder(ListOrder.ADDRESS).withFit(Fit.FIRST))) {
            assertThat(next.alloc(80)).as("the rover is still on the rest of the heap").isEqualTo(19);
            assertThat(next.alloc(3)).as("[99:1] is too small: wrap to the front").isZero();
            assertThat(next.steps()).isEqualTo(2);
            assertThat(next.alloc(3)).as("resumes at the remainder [3:2], takes [6:3]").isEqualTo(6);
            assertThat(next.steps()).isEqualTo(2);
            assertThat(next.alloc(2)).as("resumes after the exact fit").isEqualTo(10);
            assertThat(first.alloc(80)).isEqualTo(19);
            assertThat(first.alloc(3)).isZero();
            assertThat(first.alloc(3)).isEqualTo(6);
            assertThat(first.alloc(2)).as("first fit goes back to the front").isEqualTo(3);
            assertThat(next.heap.check()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lifo, [35:15][0:10][10:20][50:50]", "fifo, [50:50][10:20][0:10][35:15]",
            "address, [0:10][10:20][35:15][50:50]", "size_asc, [0:10][35:15][10:20][50:50]",
            "size_desc, [50:50][10:20][35:15][0:10]"})
    void listOrdersPlaceFreedBlocks(String order, String list) {
        try (UnitHeap heap = new UnitHeap(100, EXPLICIT.withCoalescing(Coalescing.NONE)
                .withOrder(ListOrder.valueOf(order.toUpperCase())))) {
            assertThat(new long[] {heap.alloc(10), heap.alloc(20), heap.alloc(5), heap.alloc(15)})
                    .containsExactly(0, 10, 30, 35);
            heap.free(10);
            heap.free(0);
            heap.free(35);
            assertThat(heap.list()).isEqualTo(list);
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void aSizeOrderedListLeftUnsortedByASplitIsSortedStablyAtTheNextFree() {
        try (UnitHeap heap = new UnitHeap(100, EXPLICIT.withCoalescing(Coalescing.NONE).withOrder(ListOrder.SIZE_ASC))) {
            heap.alloc(10);
            heap.alloc(20);
            heap.alloc(5);
            heap.alloc(15);
            heap.free(10);
            heap.free(0);
            heap.free(35);
            assertThat(heap.alloc(12)).isEqualTo(35);
            assertThat(heap.list()).as("as malloc.py leaves it").isEqualTo("[0:10][47:3][10:20][50:50]");
            assertThat(heap.heap.check()).as("an unsorted list is not a violation").isEmpty();
            heap.free(30);
            assertThat(heap.list()).isEqualTo("[47:3][30:5][0:10][10:20][50:50]");
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void sizeOrderKeepsEqualSizesInTheOrderTheyCame() {
        try (UnitHeap heap = new UnitHeap(100, EXPLICIT.withCoalescing(Coalescing.NONE).withOrder(ListOrder.SIZE_DESC))) {
            for (int i = 0; i < 6; i++) {
                heap.alloc(4);
            }
            heap.free(8);
            heap.free(0);
            heap.free(16);
            assertThat(heap.list()).isEqualTo("[24:76][8:4][0:4][16:4]");
        }
    }

    /** Three 10-unit blocks, freed middle-last, then what is left in the heap. */
    private static UnitHeap threeFreed(FirstFitSettings settings) {
        UnitHeap heap = new UnitHeap(100, settings);
        heap.alloc(10);
        heap.alloc(10);
        heap.alloc(10);
        heap.free(10);
        heap.free(0);
        heap.free(20);
        return heap;
    }

    @Test
    void immediateCoalescingLeavesOneBlockInEveryOrder() {
        for (ListOrder order : ListOrder.values()) {
            try (UnitHeap heap = threeFreed(EXPLICIT.withOrder(order))) {
                assertThat(heap.blocks()).as(order.toString()).containsExactly("0:100:f");
                assertThat(heap.heap.check()).isEmpty();
            }
        }
    }

    @Test
    void withoutCoalescingFreedBlocksStayApart() {
        try (UnitHeap heap = threeFreed(EXPLICIT.withCoalescing(Coalescing.NONE))) {
            assertThat(heap.blocks()).containsExactly("0:10:f", "10:10:f", "20:10:f", "30:70:f");
            assertThat(heap.alloc(75)).as("no block of 75 units exists").isEqualTo(-1);
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void deferredCoalescingMergesOnlyWhenASearchFails() {
        try (UnitHeap heap = threeFreed(EXPLICIT.withCoalescing(Coalescing.DEFERRED))) {
            assertThat(heap.blocks()).hasSize(4);
            assertThat(heap.alloc(60)).as("fits without merging").isEqualTo(30);
            assertThat(heap.blocks()).containsExactly("0:10:f", "10:10:f", "20:10:f", "30:60:a", "90:10:f");
            assertThat(heap.alloc(25)).as("fails, merges 0..30, searches again").isZero();
            assertThat(heap.steps()).as("four blocks, then the merged one, inserted in front").isEqualTo(4 + 1);
            assertThat(heap.blocks()).containsExactly("0:25:a", "25:5:f", "30:60:a", "90:10:f");
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void mallocPyListCoalescingMissesNeighboursThatAreNotNeighboursInTheList() {
        try (UnitHeap heap = threeFreed(EXPLICIT.withCoalescing(Coalescing.LIST))) {
            assertThat(heap.list()).as("LIFO: [20:10] is in front of [0:20], which it does not follow")
                    .isEqualTo("[20:10][0:20][30:70]");
            assertThat(heap.heap.check()).as("adjacent free blocks are allowed here").isEmpty();
        }
        try (UnitHeap heap = threeFreed(EXPLICIT.withCoalescing(Coalescing.LIST).withOrder(ListOrder.ADDRESS))) {
            assertThat(heap.list()).as("address order: the pass is exact").isEqualTo("[0:100]");
        }
    }

    @Test
    void anImplicitListSearchesAllocatedBlocksToo() {
        try (UnitHeap heap = new UnitHeap(100, EXPLICIT.withOrder(ListOrder.ADDRESS).withIndex(FreeIndex.IMPLICIT))) {
            heap.alloc(1);
            heap.alloc(1);
            heap.alloc(1);
            assertThat(heap.alloc(1)).isEqualTo(3);
            assertThat(heap.steps()).isEqualTo(4);
            heap.free(1);
            assertThat(heap.list()).isEqualTo("[1:1][4:96]");
            assertThat(heap.alloc(2)).isEqualTo(4);
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void segregatedFitsTakeTheBestBlockOfTheFirstClassThatHasOne() {
        try (UnitHeap heap = new UnitHeap(200, EXPLICIT.withIndex(FreeIndex.SEGREGATED).withFit(Fit.BEST)
                .withOrder(ListOrder.ADDRESS))) {
            long[] sizes = {40, 1, 34, 1, 36, 1};  // 1280, 1088 and 1152 bytes: one class [1024, 1279], one above
            long[] at = new long[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                at[i] = heap.alloc(sizes[i]);
            }
            heap.free(at[0]);
            heap.free(at[2]);
            heap.free(at[4]);
            assertThat(heap.alloc(33)).as("best of class [1024, 1279]: 34 units").isEqualTo(at[2]);
            assertThat(heap.alloc(37)).as("nothing in its class fits: the next class").isEqualTo(at[0]);
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void aFixedHeapReturnsNullWhenFullAndNeverMovesTheBreak() {
        try (UnitHeap heap = new UnitHeap(100, EXPLICIT)) {
            long brk = heap.heap.memory().brk();
            assertThat(heap.alloc(100)).isZero();
            assertThat(heap.alloc(1)).isEqualTo(-1);
            heap.free(0);
            assertThat(heap.heap.memory().brk()).isEqualTo(brk);
            assertThat(heap.list()).isEqualTo("[0:100]");
        }
    }

    @Test
    void reallocGrowsIntoAFreeNeighbourAndShrinksInPlace() {
        try (UnitHeap heap = new UnitHeap(100, EXPLICIT)) {
            heap.alloc(2);
            heap.alloc(2);
            heap.alloc(1);
            heap.free(2);
            long p = heap.address(0);
            assertThat(heap.heap.realloc(p, heap.heap.requestFor(4 * UnitHeap.UNIT))).isEqualTo(p);
            assertThat(heap.blocks()).startsWith("0:4:a", "4:1:a");
            assertThat(heap.heap.realloc(p, 10)).isEqualTo(p);
            assertThat(heap.blocks()).startsWith("0:1:a", "1:3:f", "4:1:a");
            assertThat(heap.heap.check()).isEmpty();
        }
    }

    @Test
    void requestsAtTheMmapThresholdGetAMappingOfTheirOwn() {
        var settings = EXPLICIT.withThresholds(4096, 128 * 1024, 8192);
        try (var heap = new FirstFitAllocator("mapped", new FlatMemorySource(UnitHeap.SMALL), settings)) {
            long small = heap.malloc(8191);
            long big = heap.malloc(8192);
            long aligned = heap.memalign(16384, 9000);
            assertThat(heap.memory().mappedBytes()).isEqualTo(3 * 4096 + 7 * 4096);
            assertThat(big).isGreaterThan(heap.memory().brk());
            assertThat(aligned % 16384).isZero();
            assertThat(heap.usableSize(big)).isGreaterThanOrEqualTo(8192);
            assertThat(heap.stats().liveBlocks()).isEqualTo(3);
            assertThat(heap.check()).isEmpty();
            heap.free(big);
            heap.free(aligned);
            assertThat(heap.memory().mappedBytes()).isZero();
            heap.free(small);
            assertThat(heap.check()).isEmpty();
        }
    }

    @ParameterizedTest(name = "header {0}, alignment {1}, footers {2}")
    @CsvSource({"8, 8, true", "8, 16, false", "16, 16, true", "24, 32, false", "32, 64, true", "16, 4096, false"})
    void everyHeaderAndAlignmentGivesAlignedPayloadsAndAConsistentHeap(long header, long alignment, boolean footers) {
        var settings = EXPLICIT.withHeader(header, alignment).withAllocatedFooters(footers)
                .withThresholds(alignment * 64, 0, 0);
        try (var heap = new FirstFitAllocator("h", new FlatMemorySource(UnitHeap.SMALL), settings)) {
            long[] live = new long[40];
            for (int i = 0; i < live.length; i++) {
                live[i] = heap.malloc(i * 7);
                assertThat(live[i] % alignment).isZero();
                assertThat(heap.usableSize(live[i])).isGreaterThanOrEqualTo(i * 7);
                assertThat(heap.usableSize(live[i]) + header + (footers ? 8 : 0))
                        .isGreaterThanOrEqualTo(heap.blockSizeFor(i * 7));
            }
            for (int i = 0; i < live.length; i += 2) {
                heap.free(live[i]);
            }
            assertThat(heap.check()).isEmpty();
            for (int i = 1; i < live.length; i += 2) {
                heap.free(live[i]);
            }
            assertThat(heap.check()).isEmpty();
            assertThat(heap.stats().freeBlocks()).isEqualTo(1);
        }
    }
}
