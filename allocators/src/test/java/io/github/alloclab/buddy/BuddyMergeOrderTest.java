package io.github.alloclab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every order of freeing eight buddy blocks (8! = 40,320 orders): after each free, the free blocks must be
 * exactly the largest buddy-aligned blocks that the freed slots form, whatever the order they were freed in.
 */
class BuddyMergeOrderTest {

    private static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(64 * 1024).withMmapLimit(64 * 1024);

    @ParameterizedTest
    @EnumSource(BuddySettings.Metadata.class)
    void freeBlocksAreTheMaximalBuddyBlocksOfTheFreedSlotsInEveryOrder(BuddySettings.Metadata metadata) {
        boolean map = metadata == BuddySettings.Metadata.ORDER_MAP;
        // 4 KiB arenas. With a map, its 256 bytes take the lower half's first block, so the eight 256-byte slots
        // are the upper half (order 7 of 16-byte blocks); with headers, eight 512-byte slots fill the arena
        // (order 7 of 32-byte blocks). Either way the slots are of order 4 and merge up to order 7.
        var settings = map ? new BuddySettings(16, 8, BuddySettings.Source.BRK, metadata, true)
                : new BuddySettings(32, 7, BuddySettings.Source.BRK, metadata, true);
        try (var heap = new BuddyAllocator("buddy", new FlatMemorySource(SMALL), settings)) {
            int slotOrder = 4;
            long slot = heap.blockSize(slotOrder);
            long request = slot - (map ? 0 : 16);
            long base = heap.memory().heapStart();
            long first = map ? base + 2048 : base;
            // Fill the arena with slot-sized blocks; keep any outside the eight slots allocated throughout.
            List<Long> slots = new ArrayList<>();
            long p;
            while ((p = heap.malloc(request)) != 0 && heap.buddyStats().arenas() == 1) {
                if (p - (map ? 0 : 16) >= first) {
                    slots.add(p);
                }
            }
            heap.free(p); // the one that opened a second arena
            assertThat(heap.buddyStats().arenas()).isEqualTo(1);
            slots.sort(Long::compare);
            assertThat(slots).hasSize(8);
            for (int i = 0; i < 8; i++) {
                assertThat(slots.get(i) - (map ? 0 : 16)).isEqualTo(first + i * slot);
            }
            int[] perm = {0, 1, 2, 3, 4, 5, 6, 7};
            int orders = 0;
            do {
                boolean[] freed = new boolean[8];
                for (int i : perm) {
                    heap.free(slots.get(i));
                    freed[i] = true;
                    assertThat(heap.buddyInfo().freeBlocks()).as("after freeing slots in order %s", java.util.Arrays.toString(perm))
                            .isEqualTo(expected(freed, slotOrder, settings.maxOrder()));
                }
                assertThat(heap.check()).isEmpty();
                List<Long> again = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    again.add(heap.malloc(request));
                }
                again.sort(Long::compare);
                assertThat(again).as("the merged block splits into the same eight slots").isEqualTo(slots);
                orders++;
            } while (nextPermutation(perm));
            assertThat(orders).isEqualTo(40_320);
            assertThat(heap.check()).isEmpty();
        }
    }

    /** Free blocks per order: the maximal aligned runs of freed slots, found by halving from the whole. */
    private static List<Long> expected(boolean[] freed, int slotOrder, int maxOrder) {
        long[] counts = new long[maxOrder + 1];
        count(freed, 0, 8, slotOrder + 3, counts);
        List<Long> list = new ArrayList<>();
        for (long c : counts) {
            list.add(c);
        }
        return list;
    }

    private static void count(boolean[] freed, int from, int length, int order, long[] counts) {
        boolean all = true;
        for (int i = from; i < from + length; i++) {
            all &= freed[i];
        }
        if (all) {
            counts[order]++;
        } else if (length > 1) {
            count(freed, from, length / 2, order - 1, counts);
            count(freed, from + length / 2, length / 2, order - 1, counts);
        }
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }
}
