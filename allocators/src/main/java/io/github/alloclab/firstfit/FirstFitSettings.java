package io.github.alloclab.firstfit;

/**
 * Tunables of {@link FirstFitAllocator}: every member of the family is one of these records.
 *
 * @param index            how free blocks are found: {@code implicit}, {@code explicit} or {@code segregated}
 * @param fit              which fitting block a search takes: {@code first}, {@code next}, {@code best},
 *                         {@code worst}
 * @param order            where a freed block goes in a free list: {@code address}, {@code lifo}, {@code fifo},
 *                         {@code size-asc}, {@code size-desc}; the implicit list is always in address order
 * @param coalescing       when free neighbours merge: {@code immediate}, {@code deferred}, {@code none}, or
 *                         {@code list} (OSTEP malloc.py's pass over the list; explicit lists only)
 * @param headerBytes      bytes in front of every payload, a multiple of 8 from 8 to 4096; the tag is the last
 *                         word, the rest is padding (16 models glibc's two-word chunk header)
 * @param alignment        payload alignment and block-size granule, a power of two from 8 to 4096
 * @param allocatedFooters whether allocated blocks keep a footer too (CS:APP's classic layout); without them
 *                         only free blocks have one and the tag's {@code p} bit says whether the block below
 *                         is free, which saves a word per block
 * @param chunkBytes       the least the heap grows by when nothing fits (CS:APP's {@code CHUNKSIZE}); a
 *                         multiple of the alignment
 * @param trimThreshold    a free block at the top of the heap this large or larger goes back to the kernel with
 *                         a negative {@code sbrk} (glibc's {@code M_TRIM_THRESHOLD}); 0 never trims
 * @param mmapThreshold    requests of this many bytes or more get an {@code mmap} mapping of their own
 *                         (glibc's {@code M_MMAP_THRESHOLD}); 0 never maps
 * @param heapBytes        0 for a heap that grows on demand; otherwise a fixed heap of exactly this many bytes,
 *                         one free block at the start, that never grows or shrinks (OSTEP's malloc.py heap); a
 *                         multiple of the alignment
 * @param checked          checked mode: red zones around every payload, poison in freed memory, and exact
 *                         diagnosis of bad pointers (see {@link Guards})
 * @param redZoneBytes     in checked mode, the least number of red-zone bytes before and after each payload
 */
public record FirstFitSettings(FreeIndex index, Fit fit, ListOrder order, Coalescing coalescing, long headerBytes,
                               long alignment, boolean allocatedFooters, long chunkBytes, long trimThreshold,
                               long mmapThreshold, long heapBytes, boolean checked, long redZoneBytes) {

    /**
     * The lead's first fit: an explicit LIFO list, immediate coalescing, 8-byte tags with footers on every
     * block, 16-byte alignment, growth by 4 KiB, and glibc's thresholds of 128 KiB for trim and mmap.
     */
    public static final FirstFitSettings DEFAULTS = new FirstFitSettings(FreeIndex.EXPLICIT, Fit.FIRST,
            ListOrder.LIFO, Coalescing.IMMEDIATE, 8, 16, true, 4096, 128 * 1024, 128 * 1024, 0, false, 16);

    private static final long MAX_HEADER = 4096;
    private static final long MAX_ALIGNMENT = 4096;
    /** A red zone larger than a page guards nothing more; the bound keeps 2 R + payload from overflowing a long. */
    private static final long MAX_RED_ZONE = 4096;

    public FirstFitSettings {
        if (index == null || fit == null || order == null || coalescing == null) {
            throw new IllegalArgumentException("index, fit, order and coalescing must be given");
        }
        if (alignment < 8 || alignment > MAX_ALIGNMENT || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two from 8 to 4096: " + alignment);
        }
        if (headerBytes < 8 || headerBytes > MAX_HEADER || headerBytes % 8 != 0) {
            throw new IllegalArgumentException("headerBytes must be a multiple of 8 from 8 to 4096: " + headerBytes);
        }
        if (chunkBytes <= 0 || chunkBytes % alignment != 0) {
            throw new IllegalArgumentException("chunkBytes must be a positive multiple of the alignment (%d): %d"
                    .formatted(alignment, chunkBytes));
        }
        if (trimThreshold < 0 || mmapThreshold < 0 || redZoneBytes < 0) {
            throw new IllegalArgumentException("trimThreshold, mmapThreshold and redZoneBytes must not be negative");
        }
        if (redZoneBytes > MAX_RED_ZONE) {
            throw new IllegalArgumentException("redZoneBytes must be from 0 to 4096: " + redZoneBytes);
        }
        if (heapBytes < 0 || heapBytes % alignment != 0
                || (heapBytes > 0 && heapBytes < FirstFitLayout.minBlock(headerBytes, alignment))) {
            throw new IllegalArgumentException("heapBytes must be 0 (a growing heap) or a multiple of the alignment"
                    + " (%d) that holds at least one block: %d".formatted(alignment, heapBytes));
        }
        if (index == FreeIndex.IMPLICIT && order != ListOrder.ADDRESS) {
            throw new IllegalArgumentException("an implicit list is in address order by nature; use order=address");
        }
        if (coalescing == Coalescing.LIST && index != FreeIndex.EXPLICIT) {
            throw new IllegalArgumentException("coalescing=list is a pass over one explicit list; use index=explicit");
        }
        if (index == FreeIndex.SEGREGATED && (fit == Fit.NEXT || fit == Fit.WORST)) {
            throw new IllegalArgumentException("segregated fits search by size class; use fit=first or fit=best");
        }
    }

    /** {@return these settings with another free index} */
    public FirstFitSettings withIndex(FreeIndex value) {
        return new FirstFitSettings(value, fit, order, coalescing, headerBytes, alignment, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with another fit} */
    public FirstFitSettings withFit(Fit value) {
        return new FirstFitSettings(index, value, order, coalescing, headerBytes, alignment, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with another list order} */
    public FirstFitSettings withOrder(ListOrder value) {
        return new FirstFitSettings(index, fit, value, coalescing, headerBytes, alignment, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with another coalescing policy} */
    public FirstFitSettings withCoalescing(Coalescing value) {
        return new FirstFitSettings(index, fit, order, value, headerBytes, alignment, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with another header size and alignment} */
    public FirstFitSettings withHeader(long header, long align) {
        return new FirstFitSettings(index, fit, order, coalescing, header, align, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with or without footers in allocated blocks} */
    public FirstFitSettings withAllocatedFooters(boolean value) {
        return new FirstFitSettings(index, fit, order, coalescing, headerBytes, alignment, value,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with other growth, trim and mmap thresholds} */
    public FirstFitSettings withThresholds(long chunk, long trim, long mmap) {
        return new FirstFitSettings(index, fit, order, coalescing, headerBytes, alignment, allocatedFooters,
                chunk, trim, mmap, heapBytes, checked, redZoneBytes);
    }

    /** {@return these settings with a fixed heap of {@code bytes} (0: a growing heap)} */
    public FirstFitSettings withHeapBytes(long bytes) {
        return new FirstFitSettings(index, fit, order, coalescing, headerBytes, alignment, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, bytes, checked, redZoneBytes);
    }

    /** {@return these settings in or out of checked mode} */
    public FirstFitSettings withChecked(boolean value) {
        return new FirstFitSettings(index, fit, order, coalescing, headerBytes, alignment, allocatedFooters,
                chunkBytes, trimThreshold, mmapThreshold, heapBytes, value, redZoneBytes);
    }
}
