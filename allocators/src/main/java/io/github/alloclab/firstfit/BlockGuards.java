package io.github.alloclab.firstfit;

import static io.github.alloclab.firstfit.FirstFitLayout.WORD;
import static io.github.alloclab.firstfit.FirstFitLayout.isAllocated;
import static io.github.alloclab.firstfit.FirstFitLayout.size;

import io.github.alloclab.allocator.CorruptionKind;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.memory.MemorySource;

/**
 * Checked mode's work on the blocks of one heap: writing and verifying the red zones and size word of
 * allocated blocks, verifying the poison of freed memory before it is handed out again, and saying exactly what
 * is wrong with a pointer that failed validation. The bytes and their layout are in {@link Guards}.
 *
 * <p>Every check that finds damage restores the pattern before it throws, so that the heap stays usable and
 * the same damage is reported once (the Linux SLUB debugger does the same: it reports, then "restores").
 */
final class BlockGuards {

    private final FirstFitAllocator heap;
    private final MemorySource memory;

    BlockGuards(FirstFitAllocator heap) {
        this.heap = heap;
        this.memory = heap.memory();
    }

    /** Writes the size word and both red zones of the allocated block {@code b} with payload {@code p}. */
    void arm(long b, long p, long byteSize) {
        long h = heap.h;
        memory.putLong(b + h, Guards.encodeSize(byteSize, p));
        memory.fill(b + h + WORD, p - (b + h + WORD), Guards.RED_ZONE);
        long end = b + size(heap.tag(b)) - heap.footer;
        memory.fill(p + byteSize, end - (p + byteSize), Guards.RED_ZONE);
    }

    /** Checks both red zones of the allocated block {@code b}; restores them and throws if either changed. */
    void verifyRedZones(long b, long p) {
        long h = heap.h;
        long n = Guards.decodeSize(memory.getLong(b + h), p);
        long bad = Guards.firstDifferent(memory, b + h + WORD, p, Guards.RED_ZONE);
        if (bad >= 0) {
            arm(b, p, n);
            throw new HeapCorruptionException(CorruptionKind.UNDERFLOW, "memory clobbered before allocated block", bad);
        }
        long end = b + size(heap.tag(b)) - heap.footer;
        bad = Guards.firstDifferent(memory, p + n, end, Guards.RED_ZONE);
        if (bad >= 0) {
            arm(b, p, n);
            throw new HeapCorruptionException(CorruptionKind.OVERFLOW, "memory clobbered past end of allocated block", bad);
        }
    }

    /** Checks the poison of freed memory about to be handed out; restores it and throws if it was written. */
    void verifyPoison(long from, long to) {
        long bad = Guards.firstUnpoisoned(memory, from, to);
        if (bad >= 0) {
            Guards.repairPoison(memory, from, to);
            throw new HeapCorruptionException(CorruptionKind.USE_AFTER_FREE,
                    "malloc(): use after free: freed memory was written", bad);
        }
    }

    /**
     * {@return the error for a heap pointer that failed validation}, found by walking the heap to the block that
     * holds {@code p}: inside an allocated block, an interior pointer (or, at its payload, a clobbered size
     * word); at a freed payload or above a tombstone, a double free (a use after free for other calls);
     * anything else, a pointer no block ever had.
     */
    HeapCorruptionException diagnose(long p, String call) {
        long offset = heap.offset;
        for (long b = heap.firstBlock; b < heap.epilogue; ) {
            long tag = heap.tag(b);
            long size = size(tag);
            if (size < heap.minBlock || size > heap.epilogue - b) {
                break;
            }
            if (p < b + size) {
                if (isAllocated(tag)) {
                    return p == b + offset
                            ? new HeapCorruptionException(CorruptionKind.UNDERFLOW,
                                    "memory clobbered before allocated block", b + heap.h)
                            : new HeapCorruptionException(CorruptionKind.INTERIOR_POINTER, call + ": invalid pointer", p);
                }
                long oldTag = p - heap.lead - WORD;
                boolean wasPayload = p == b + offset
                        || ((p & (heap.align - 1)) == 0 && oldTag >= b && memory.getLong(oldTag) == Guards.TOMBSTONE);
                if (wasPayload) {
                    return call.equals("free()")
                            ? new HeapCorruptionException(CorruptionKind.DOUBLE_FREE, "free(): double free detected", p)
                            : new HeapCorruptionException(CorruptionKind.USE_AFTER_FREE, call + ": invalid pointer", p);
                }
                break;
            }
            b += size;
        }
        return new HeapCorruptionException(CorruptionKind.INVALID_POINTER, call + ": invalid pointer", p);
    }
}
