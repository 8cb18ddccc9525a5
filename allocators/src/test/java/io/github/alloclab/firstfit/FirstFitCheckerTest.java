package io.github.alloclab.firstfit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.FlatMemorySource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap checker finds each corruption planted by hand, in the members of the family it concerns. */
class FirstFitCheckerTest {

    private static FirstFitAllocator heap(FirstFitSettings settings) {
        return new FirstFitAllocator("checked", new FlatMemorySource(UnitHeap.SMALL), settings);
    }

    private static List<String> violations(FirstFitAllocator heap) {
        return heap.check().stream().map(Violation::message).toList();
    }

    @Test
    void theWalkMustLandOnTheBreak() {
        try (var heap = heap(FirstFitSettings.DEFAULTS)) {
            heap.malloc(100);
            heap.memory().sbrk(64); // the break moves behind the allocator's back
            assertThat(violations(heap)).anyMatch(m -> m.contains("not at the break"));
        }
    }

    @Test
    void aCycleAndABrokenPrevLinkInTheList() {
        try (var heap = heap(FirstFitSettings.DEFAULTS)) {
            long a = heap.malloc(40);
            heap.malloc(40);
            long c = heap.malloc(40);
            heap.malloc(40);
            heap.free(a);
            heap.free(c); // list: c, a, rest
            assertThat(violations(heap)).isEmpty();
            assertThat(heap.memory().getLong(a + 8)).as("a's prev link, at b + h + 8, is c's block").isEqualTo(c - 8);
            heap.memory().putLong(a + 8, a - 8);
            assertThat(violations(heap)).anyMatch(m -> m.startsWith("prev link"));
            heap.memory().putLong(a, a - 8); // a's next link points at a itself
            assertThat(violations(heap)).anyMatch(m -> m.contains("has a cycle"));
        }
    }

    @Test
    void thePBitMustAgreeWithTheBlockBelow() {
        try (var heap = heap(FirstFitSettings.DEFAULTS.withAllocatedFooters(false))) {
            long a = heap.malloc(40);
            long b = heap.malloc(40);
            assertThat(violations(heap)).isEmpty();
            long tag = b - 8;
            heap.memory().putLong(tag, heap.memory().getLong(tag) & ~FirstFitLayout.PREV_ALLOCATED);
            assertThat(violations(heap)).anyMatch(m -> m.contains("the p bit says the block below is free, but it is allocated"));
            heap.memory().putLong(tag, heap.memory().getLong(tag) | FirstFitLayout.PREV_ALLOCATED);
            heap.free(a);
            assertThat(violations(heap)).isEmpty();
        }
    }

    @Test
    void aFreeBlockOnTheWrongSizeClassListAndAnUnlistedOne() {
        var settings = FirstFitSettings.DEFAULTS.withIndex(FreeIndex.SEGREGATED).withFit(Fit.BEST)
                .withAllocatedFooters(false);
        try (var heap = heap(settings)) {
            long a = heap.malloc(48); // a 64-byte block
            heap.malloc(48);
            heap.free(a);
            long b = a - 8;
            assertThat(heap.memory().getLong(b)).isEqualTo(64 | 2);
            // Cut it in two by hand: a 32-byte block still on the list of 64-byte blocks, and a 32-byte block
            // that no list knows.
            heap.memory().putLong(b, 32 | 2);
            heap.memory().putLong(b + 24, 32 | 2);
            heap.memory().putLong(b + 32, 32);
            heap.memory().putLong(b + 56, 32);
            assertThat(violations(heap))
                    .anyMatch(m -> m.equals("a block of 32 bytes is on list 4, not on list 2"))
                    .anyMatch(m -> m.equals("free block is not on the free list"))
                    .anyMatch(m -> m.equals("two adjacent free blocks escaped coalescing"));
        }
    }

    @Test
    void anImplicitListHasNoListToCheckButTheWalkStillIsChecked() {
        try (var heap = heap(FirstFitSettings.DEFAULTS.withOrder(ListOrder.ADDRESS).withIndex(FreeIndex.IMPLICIT))) {
            long a = heap.malloc(40);
            heap.malloc(40);
            heap.free(a);
            assertThat(violations(heap)).isEmpty();
            heap.memory().putLong(a - 8, 48); // header no longer matches the footer
            assertThat(violations(heap)).anyMatch(m -> m.contains("does not match footer"));
        }
    }

    @Test
    void aMappedChunkWithABrokenLink() {
        try (var heap = heap(FirstFitSettings.DEFAULTS.withThresholds(4096, 0, 8192))) {
            long p = heap.malloc(10_000);
            long q = heap.malloc(10_000);
            assertThat(violations(heap)).isEmpty();
            long m = Math.max(p, q) & -4096L;
            heap.memory().putLong(m + 8, 0x1234_0000L); // the higher mapping's prev link
            assertThat(violations(heap)).anyMatch(v -> v.startsWith("mapped block's prev link"));
        }
    }

    @Test
    void mallocPyCoalescingAllowsAdjacentFreeBlocksOnlyOutsideAddressOrder() {
        var list = FirstFitSettings.DEFAULTS.withCoalescing(Coalescing.LIST);
        try (UnitHeap lifo = new UnitHeap(100, list); UnitHeap address = new UnitHeap(100, list.withOrder(ListOrder.ADDRESS))) {
            for (UnitHeap heap : List.of(lifo, address)) {
                heap.alloc(10);
                heap.alloc(10);
                heap.alloc(10);
                heap.free(10);
                heap.free(0);
                heap.free(20);
            }
            assertThat(lifo.heap.check()).isEmpty();
            assertThat(address.heap.check()).isEmpty();
            assertThat(lifo.blocks()).containsExactly("0:20:f", "20:10:f", "30:70:f");
        }
    }
}
