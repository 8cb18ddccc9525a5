package io.github.alloclab.memory;

/**
 * Where a memory source places its heap and mmap area, and how far each may grow.
 *
 * <p>The defaults follow a Linux x86-64 process with ASLR off ({@code setarch -R}): a position-independent
 * executable loads at {@code 0x555555554000}, so the heap of a small program starts a few pages above it,
 * at {@code 0x555555559000}; the mmap area grows down from {@code 0x7ffff7fff000}, just below where the
 * kernel puts its base for mappings when the stack rlimit is the usual 8 MiB.
 *
 * @param heapStart  the initial break, page-aligned and not 0
 * @param heapLimit  the most bytes the heap may grow to; {@code sbrk} past it fails with {@code ENOMEM}
 * @param mmapTop    the page-aligned top of the mmap area; mappings are placed below it, top down
 * @param mmapLimit  the most bytes the mmap area may span
 * @param pageSize   the page size, a power of two
 */
public record MemorySettings(long heapStart, long heapLimit, long mmapTop, long mmapLimit, long pageSize) {

    /**
     * 1 GiB of heap and 1 GiB of mmap area at the Linux x86-64 addresses, 4 KiB pages. The flat source reserves
     * both as address space only, so untouched memory costs nothing.
     */
    public static final MemorySettings DEFAULTS =
            new MemorySettings(0x5555_5555_9000L, 1L << 30, 0x7fff_f7ff_f000L, 1L << 30, 4096);

    public MemorySettings {
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two: " + pageSize);
        }
        if (heapStart <= 0 || heapStart % pageSize != 0) {
            throw new IllegalArgumentException("heapStart must be a non-zero multiple of the page size: 0x"
                    + Long.toHexString(heapStart));
        }
        if (mmapTop <= 0 || mmapTop % pageSize != 0) {
            throw new IllegalArgumentException("mmapTop must be a non-zero multiple of the page size: 0x"
                    + Long.toHexString(mmapTop));
        }
        if (heapLimit < 0 || heapLimit % pageSize != 0 || mmapLimit < 0 || mmapLimit % pageSize != 0) {
            throw new IllegalArgumentException("heapLimit and mmapLimit must be non-negative multiples of the page size");
        }
        if (mmapLimit > mmapTop || heapStart + heapLimit < heapStart) {
            throw new IllegalArgumentException("the heap or mmap area does not fit in the address space");
        }
        long mmapLow = mmapTop - mmapLimit;
        if (heapStart < mmapTop && mmapLow < heapStart + heapLimit) {
            throw new IllegalArgumentException("the heap [0x%x, 0x%x) overlaps the mmap area [0x%x, 0x%x)"
                    .formatted(heapStart, heapStart + heapLimit, mmapLow, mmapTop));
        }
    }

    /** {@return these settings with another heap limit} */
    public MemorySettings withHeapLimit(long byteSize) {
        return new MemorySettings(heapStart, byteSize, mmapTop, mmapLimit, pageSize);
    }

    /** {@return these settings with another mmap-area limit} */
    public MemorySettings withMmapLimit(long byteSize) {
        return new MemorySettings(heapStart, heapLimit, mmapTop, byteSize, pageSize);
    }
}
