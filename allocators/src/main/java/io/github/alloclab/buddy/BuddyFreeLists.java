package io.github.alloclab.buddy;

import io.github.alloclab.memory.MemorySource;

/**
 * One free list per order, as the kernel's {@code zone->free_area[order]}: doubly linked through the free
 * blocks themselves, newest first, with a count per order and a bit per non-empty order.
 *
 * <pre>
 *  free block at b          (link = 0 with an order map, 16 behind an in-band header)
 *  b + link      next: address of the next free block of the same order, or 0
 *  b + link + 8  prev: address of the previous one, or 0
 * </pre>
 *
 * The heads, counts and the non-empty mask are the allocator's globals ({@code free_area[]} in a C
 * allocator's static data); every link lives in off-heap memory. Every operation is O(1).
 */
final class BuddyFreeLists {

    private final MemorySource memory;
    private final long next;
    private final long prev;
    private final long[] heads;
    private final long[] counts;
    /** Bit k is set when the list of order k is not empty. */
    private long nonEmpty;

    BuddyFreeLists(MemorySource memory, int maxOrder, long linkOffset) {
        this.memory = memory;
        this.next = linkOffset;
        this.prev = linkOffset + 8;
        this.heads = new long[maxOrder + 1];
        this.counts = new long[maxOrder + 1];
    }

    /** Puts the block at the head of the list of {@code order}. */
    void push(long block, int order) {
        long head = heads[order];
        memory.putLong(block + next, head);
        memory.putLong(block + prev, 0);
        if (head != 0) {
            memory.putLong(head + prev, block);
        }
        heads[order] = block;
        counts[order]++;
        nonEmpty |= 1L << order;
    }

    /** Takes the block out of the list of {@code order}, wherever it is. */
    void unlink(long block, int order) {
        long n = memory.getLong(block + next);
        long p = memory.getLong(block + prev);
        if (p == 0) {
            heads[order] = n;
        } else {
            memory.putLong(p + next, n);
        }
        if (n != 0) {
            memory.putLong(n + prev, p);
        }
        if (--counts[order] == 0) {
            nonEmpty &= ~(1L << order);
        }
    }

    /** {@return the head of the list of {@code order}, taken off the list; the list must not be empty} */
    long pop(int order) {
        long block = heads[order];
        unlink(block, order);
        return block;
    }

    /** {@return the lowest order at or above {@code order} whose list is not empty, or -1} */
    int lowestNonEmpty(int order) {
        long candidates = nonEmpty & (-1L << order);
        return candidates == 0 ? -1 : Long.numberOfTrailingZeros(candidates);
    }

    /** {@return the highest order whose list is not empty, or -1} */
    int highestNonEmpty() {
        return 63 - Long.numberOfLeadingZeros(nonEmpty);
    }

    long head(int order) {
        return heads[order];
    }

    long count(int order) {
        return counts[order];
    }

    boolean isNonEmpty(int order) {
        return (nonEmpty & (1L << order)) != 0;
    }

    long nextOf(long block) {
        return memory.getLong(block + next);
    }

    long prevOf(long block) {
        return memory.getLong(block + prev);
    }
}
