package io.github.alloclab.firstfit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The algorithm as the javadoc draws it, and a checker that finds each planted corruption. */
class FirstFitAllocatorTest {

    private final FirstFitAllocator heap = new FirstFitAllocator("firstfit", new FlatMemorySource(), FirstFitSettings.DEFAULTS);
    private final long start = heap.memory().heapStart();

    @AfterEach
    void close() {
        heap.close();
    }

    private List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        return blocks;
    }

    @Test
    void firstPayloadSitsAfterPadAndPrologueAndTheHeapGrowsByAChunk() {
        long p = heap.malloc(24);
        assertThat(p).isEqualTo(start + 32);
        assertThat(heap.usableSize(p)).isEqualTo(32); // 24 + 16 rounds to a 48-byte block
        assertThat(heap.memory().brk()).isEqualTo(start + 32 + 4096);
        assertThat(blocks()).extracting(Block::state).containsExactly(
                BlockState.METADATA, BlockState.ALLOCATED, BlockState.FREE, BlockState.METADATA);
        assertThat(blocks().get(1).byteSize()).isEqualTo(48);
        assertThat(blocks().stream().mapToLong(Block::byteSize).sum()).as("the walk covers the heap")
                .isEqualTo(heap.memory().brk() - start);
    }

    @Test
    void freeCoalescesWithBothNeighboursAndReusesFirstFit() {
        long a = heap.malloc(100);
        long b = heap.malloc(100);
        long c = heap.malloc(100);
        long guard = heap.malloc(100);
        heap.free(a);
        heap.free(c);
        assertThat(heap.stats().freeBlocks()).isEqualTo(3); // a, c, and the rest of the chunk
        heap.free(b);
        assertThat(heap.stats().freeBlocks()).as("a, b and c merged").isEqualTo(2);
        long big = heap.malloc(300);
        assertThat(big).as("the merged block is the first fit").isEqualTo(a);
        assertThat(heap.check()).isEmpty();
        heap.free(big);
        heap.free(guard);
        assertThat(heap.stats().freeBlocks()).isEqualTo(1);
    }

    @Test
    void aLargeFreeTopIsTrimmedWithNegativeSbrk() {
        try (var unmapped = new FirstFitAllocator("firstfit", new FlatMemorySource(),
                FirstFitSettings.DEFAULTS.withThresholds(4096, 128 * 1024, 0))) {
            trims(unmapped);
        }
    }

    private static void trims(FirstFitAllocator heap) {
        long start = heap.memory().heapStart();
        long small = heap.malloc(100);
        long big = heap.malloc(300_000);
        long grown = heap.memory().brk();
        heap.free(big);
        assertThat(heap.memory().brk()).isLessThan(grown);
        assertThat(heap.memory().brk() - start).isLessThan(4096 + 200);
        heap.free(small);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void trimGivesBackEveryFreeByteAtTheTopWhateverTheCoalescing() {
        for (Coalescing coalescing : List.of(Coalescing.IMMEDIATE, Coalescing.DEFERRED, Coalescing.NONE)) {
            try (var h = new FirstFitAllocator("firstfit", new FlatMemorySource(),
                    FirstFitSettings.DEFAULTS.withCoalescing(coalescing))) {
                long initial = h.memory().brk();
                List<Long> blocks = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    blocks.add(h.malloc(1000 + 100 * i));
                }
                blocks.forEach(h::free);
                long kept = h.memory().brk() - initial;
                assertThat(kept).as("%s: kept after freeing everything", coalescing).isPositive();
                if (coalescing == Coalescing.IMMEDIATE) {
                    assertThat(kept).as("one free top, below the trim threshold").isLessThan(128 * 1024);
                }
                assertThat(h.trim()).as("%s: trim() gives it all back", coalescing).isEqualTo(kept);
                assertThat(h.memory().brk()).isEqualTo(initial);
                assertThat(h.stats().freeBlocks()).isZero();
                assertThat(h.trim()).as("nothing more").isZero();
                assertThat(h.check()).isEmpty();
                long p = h.malloc(100);
                assertThat(h.check()).isEmpty();
                h.free(p);
            }
        }
    }

    @Test
    void reallocGrowsInPlaceAtTheTopOfTheHeap() {
        long p = heap.malloc(5000);
        long q = heap.realloc(p, 50_000);
        assertThat(q).isEqualTo(p);
        assertThat(heap.usableSize(q)).isGreaterThanOrEqualTo(50_000);
        assertThat(heap.check()).isEmpty();
    }

    @Test
    void searchStepsCountTheBlocksLookedAt() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(heap.malloc(32));
            heap.malloc(32); // keeps the freed ones apart
        }
        blocks.forEach(heap::free);
        long before = heap.stats().searchSteps();
        heap.malloc(5000); // fits none of the ten small blocks, nor... the chunk's rest
        assertThat(heap.stats().searchSteps() - before).isGreaterThanOrEqualTo(10);
    }

    @Test
    void glibcWordingForMisuse() {
        long p = heap.malloc(10);
        heap.free(p);
        assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageStartingWith("free(): double free detected");
        assertThatThrownBy(() -> heap.free(p + 8)).hasMessageStartingWith("free(): invalid pointer");
        assertThatThrownBy(() -> heap.realloc(p + 16, 10)).hasMessageStartingWith("realloc(): invalid pointer");
    }

    // ---- the checker finds what is planted --------------------------------------------------------------

    private List<String> violations() {
        return heap.check().stream().map(Violation::message).toList();
    }

    @Test
    void checkerFindsAFooterThatDisagreesWithItsHeader() {
        long p = heap.malloc(40); // a 64-byte block: its footer is at p - 8 + 56
        assertThat(heap.memory().getLong(p + 48)).isEqualTo(64 | 1);
        assertThat(violations()).isEmpty();
        heap.memory().putLong(p + 48, 48 | 1);
        assertThat(violations()).anyMatch(m -> m.contains("does not match footer"));
    }

    @Test
    void checkerFindsAdjacentFreeBlocks() {
        long a = heap.malloc(40);
        long b = heap.malloc(40);
        heap.malloc(40);
        heap.free(a);
        // Mark b free by hand, as a buggy free without coalescing would.
        heap.memory().putLong(b - 8, 64);
        heap.memory().putLong(b - 8 + 56, 64);
        assertThat(violations()).anyMatch(m -> m.contains("escaped coalescing"))
                .anyMatch(m -> m.contains("not on the free list"));
    }

    @Test
    void checkerFindsABrokenFreeListLink() {
        long a = heap.malloc(40);
        heap.malloc(40);
        heap.free(a);
        heap.memory().putLong(a, a + 1000); // a's next link now points into the middle of nowhere
        assertThat(violations()).anyMatch(m -> m.contains("not a free block"));
    }

    @Test
    void checkerFindsAnOverwrittenEpilogueAndABadSize() {
        long p = heap.malloc(40);
        long epilogue = heap.memory().brk() - 8;
        heap.memory().putLong(epilogue, 0);
        assertThat(violations()).anyMatch(m -> m.contains("epilogue"));
        heap.memory().putLong(epilogue, 1);
        heap.memory().putLong(p - 8, 8 | 1);
        assertThat(violations()).anyMatch(m -> m.contains("bad block size"));
    }
}
