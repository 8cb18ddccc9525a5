package io.github.alloclab.firstfit;

import io.github.alloclab.memory.MemorySource;

/**
 * The free lists of the explicit and segregated members of the family: doubly linked lists threaded through
 * the free blocks themselves (links at {@code b + h} and {@code b + h + 8}, see {@link FirstFitLayout}), one
 * list for an explicit index and one per {@link SizeClasses size class} for a segregated one.
 *
 * <p>The heads and tails are this class's fields, as a C allocator keeps them in static data. Everything else
 * lives in the heap. A bitmap of non-empty classes lets a segregated search skip empty ones.
 *
 * <h2>Order</h2>
 * {@link #insert} puts a block where its {@link ListOrder} says: in front, at the back, after every block
 * at a lower address, or after every block that sorts before or equal to it by size (a stable sort). When a
 * split leaves its remainder in the split block's place ({@link #replace}) or a merge grows a block in place
 * ({@link #resized}), a size-ordered list may fall out of order; it is then marked unsorted, and the next
 * {@code insert} appends and sorts the list again, stably, as malloc.py's {@code sorted()} does. The sort
 * inserts from the tail, so on a list with one block out of place it costs one pass.
 *
 * <h2>Search</h2>
 * {@link #find} walks with the {@link Fit} policy and counts every block it looks at in {@link #steps()}.
 * A segregated search looks in the request's class first, where a block may still be too small, then in the
 * next non-empty class, where every block is large enough.
 *
 * Not thread-safe.
 */
final class FreeLists {

    private final MemorySource memory;
    private final long tagOffset;
    private final long nextOffset;
    private final long prevOffset;
    private final ListOrder order;
    private final Fit fit;
    private final boolean segregated;
    private final boolean bySize;
    private final long[] heads;
    private final long[] tails;
    private final long[] nonEmpty;
    /** Whether a size-ordered (explicit) list is in order. */
    private boolean sorted = true;
    /** Next fit's rover: the block where the next search starts, or 0 for the head. */
    private long rover;
    private long steps;

    FreeLists(MemorySource memory, long headerBytes, FreeIndex index, Fit fit, ListOrder order) {
        this.memory = memory;
        this.tagOffset = headerBytes - FirstFitLayout.WORD;
        this.nextOffset = headerBytes;
        this.prevOffset = headerBytes + FirstFitLayout.WORD;
        this.order = order;
        this.fit = fit;
        this.segregated = index == FreeIndex.SEGREGATED;
        this.bySize = order.bySize();
        int lists = segregated ? SizeClasses.COUNT : 1;
        this.heads = new long[lists];
        this.tails = new long[lists];
        this.nonEmpty = new long[(lists + 63) / 64];
    }

    // ---- reading --------------------------------------------------------------------------------------

    int lists() {
        return heads.length;
    }

    long head(int list) {
        return heads[list];
    }

    long tail(int list) {
        return tails[list];
    }

    long next(long b) {
        return memory.getLong(b + nextOffset);
    }

    long prev(long b) {
        return memory.getLong(b + prevOffset);
    }

    long size(long b) {
        return FirstFitLayout.size(memory.getLong(b + tagOffset));
    }

    int listOf(long byteSize) {
        return segregated ? SizeClasses.classOf(byteSize) : 0;
    }

    boolean isSorted() {
        return sorted;
    }

    /** {@return whether the non-empty bitmap marks the list; an explicit list keeps no bitmap} */
    boolean isNonEmpty(int list) {
        return segregated ? (nonEmpty[list >>> 6] & (1L << list)) != 0 : heads[list] != 0;
    }

    /** {@return the blocks the last {@link #find} looked at} */
    long steps() {
        return steps;
    }

    long rover() {
        return rover;
    }

    // ---- insert, unlink, replace ----------------------------------------------------------------------

    /** Puts the free block {@code b} (its tag already written) on its list, where the order says. */
    void insert(long b) {
        int list = segregated ? SizeClasses.classOf(size(b)) : 0;
        switch (order) {
            case LIFO -> linkAfter(list, 0, b);
            case FIFO -> linkAfter(list, tails[list], b);
            case ADDRESS -> {
                long after = 0;
                for (long c = heads[list]; c != 0 && c < b; c = next(c)) {
                    after = c;
                }
                linkAfter(list, after, b);
            }
            case SIZE_ASC, SIZE_DESC -> {
                if (!sorted) {
                    linkAfter(list, tails[list], b);
                    sortStably(list);
                    sorted = true;
                } else {
                    linkAfter(list, sortedPlace(list, size(b)), b);
                }
            }
        }
    }

    /** {@return the last block of the list that a block of {@code size} sorts after, scanning from the tail} */
    private long sortedPlace(int list, long size) {
        long after = tails[list];
        while (after != 0 && precedes(size, size(after))) {
            after = prev(after);
        }
        return after;
    }

    private boolean precedes(long size, long other) {
        return order == ListOrder.SIZE_ASC ? size < other : size > other;
    }

    /** Insertion sort from the tail: stable, and one pass when the list is nearly sorted. */
    private void sortStably(int list) {
        long c = heads[list];
        heads[list] = 0;
        tails[list] = 0;
        while (c != 0) {
            long next = next(c);
            linkAfter(list, sortedPlace(list, size(c)), c);
            c = next;
        }
    }

    private void linkAfter(int list, long after, long b) {
        long next = after == 0 ? heads[list] : next(after);
        memory.putLong(b + nextOffset, next);
        memory.putLong(b + prevOffset, after);
        if (after == 0) {
            heads[list] = b;
        } else {
            memory.putLong(after + nextOffset, b);
        }
        if (next == 0) {
            tails[list] = b;
        } else {
            memory.putLong(next + prevOffset, b);
        }
        if (segregated) {
            nonEmpty[list >>> 6] |= 1L << list;
        }
    }

    /** Takes the free block {@code b} off its list; its tag must still hold the size it was inserted with. */
    void unlink(long b) {
        int list = segregated ? SizeClasses.classOf(size(b)) : 0;
        long next = next(b);
        long prev = prev(b);
        if (prev == 0) {
            heads[list] = next;
        } else {
            memory.putLong(prev + nextOffset, next);
        }
        if (next == 0) {
            tails[list] = prev;
        } else {
            memory.putLong(next + prevOffset, prev);
        }
        if (segregated && heads[list] == 0) {
            nonEmpty[list >>> 6] &= ~(1L << list);
        }
        if (rover == b) {
            rover = next;
        }
    }

    /**
     * Puts {@code rest} in {@code old}'s place: the remainder of a split keeps the split block's position
     * (explicit lists only; a segregated remainder is unlinked and inserted, since its class may differ).
     */
    void replace(long old, long rest) {
        long next = next(old);
        long prev = prev(old);
        memory.putLong(rest + nextOffset, next);
        memory.putLong(rest + prevOffset, prev);
        if (prev == 0) {
            heads[0] = rest;
        } else {
            memory.putLong(prev + nextOffset, rest);
        }
        if (next == 0) {
            tails[0] = rest;
        } else {
            memory.putLong(next + prevOffset, rest);
        }
        if (rover == old) {
            rover = rest;
        }
        if (bySize && sorted) {
            long size = size(rest);
            sorted = order == ListOrder.SIZE_ASC ? prev == 0 || size(prev) <= size : next == 0 || size(next) <= size;
        }
    }

    /** Notes that the listed block {@code b} grew in place (explicit lists only). */
    void resized(long b) {
        if (bySize && sorted) {
            long size = size(b);
            long next = next(b);
            long prev = prev(b);
            sorted = order == ListOrder.SIZE_ASC ? next == 0 || size(next) >= size : prev == 0 || size(prev) >= size;
        }
    }

    // ---- search ---------------------------------------------------------------------------------------

    /** {@return a free block of at least {@code asize} bytes chosen by the fit policy, or 0}; sets {@link #steps()} */
    long find(long asize) {
        steps = 0;
        if (!segregated) {
            return switch (fit) {
                case FIRST -> firstFit(heads[0], 0, asize);
                case NEXT -> nextFit(asize);
                case BEST -> bestFit(heads[0], asize);
                case WORST -> worstFit(asize);
            };
        }
        int list = SizeClasses.classOf(asize);
        long b = fit == Fit.BEST ? bestFit(heads[list], asize) : firstFit(heads[list], 0, asize);
        if (b != 0) {
            return b;
        }
        list = nextNonEmpty(list + 1);
        if (list < 0) {
            return 0;
        }
        return fit == Fit.BEST ? bestFit(heads[list], asize) : firstFit(heads[list], 0, asize);
    }

    private long firstFit(long from, long until, long asize) {
        for (long c = from; c != until; c = next(c)) {
            steps++;
            if (size(c) >= asize) {
                return c;
            }
        }
        return 0;
    }

    private long nextFit(long asize) {
        long start = rover == 0 ? heads[0] : rover;
        long b = firstFit(start, 0, asize);
        if (b == 0 && start != heads[0]) {
            b = firstFit(heads[0], start, asize);
        }
        if (b != 0) {
            rover = b;
        }
        return b;
    }

    private long bestFit(long from, long asize) {
        long best = 0;
        long bestSize = Long.MAX_VALUE;
        for (long c = from; c != 0; c = next(c)) {
            steps++;
            long size = size(c);
            if (size >= asize && size < bestSize) {
                best = c;
                bestSize = size;
            }
        }
        return best;
    }

    private long worstFit(long asize) {
        long worst = 0;
        long worstSize = -1;
        for (long c = heads[0]; c != 0; c = next(c)) {
            steps++;
            long size = size(c);
            if (size >= asize && size > worstSize) {
                worst = c;
                worstSize = size;
            }
        }
        return worst;
    }

    /** {@return the first non-empty list at or above {@code from}, or -1} */
    int nextNonEmpty(int from) {
        for (int word = from >>> 6; word < nonEmpty.length && from < heads.length; word++) {
            long bits = nonEmpty[word] & (-1L << (from & 63));
            if (bits != 0) {
                return word * 64 + Long.numberOfTrailingZeros(bits);
            }
            from = (word + 1) * 64;
        }
        return -1;
    }
}
