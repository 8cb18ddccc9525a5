package io.github.alloclab.allocator;

/**
 * A snapshot of an allocator's counters.
 *
 * <p>The bytes form a ladder: {@code allocatedBytes + freeBytes + metadataBytes = heapBytes + mappedBytes},
 * where allocated and free count whole blocks, headers included, and metadata is what no block owns
 * (prologue, epilogue, alignment padding).
 *
 * @param liveBlocks        blocks allocated and not freed
 * @param allocatedBytes    bytes in those blocks, headers included
 * @param usableBytes       bytes callers may use in those blocks
 * @param freeBlocks        free blocks
 * @param freeBytes         bytes in free blocks
 * @param largestFreeBlock  the largest free block, in bytes
 * @param heapBytes         the heap's size: break minus heap start
 * @param mappedBytes       bytes mapped with {@code mmap}
 * @param peakFootprintBytes the high-water mark of heap plus mapped bytes
 * @param searches          free-structure searches made by allocations
 * @param searchSteps       blocks examined by those searches ("searched N elements")
 * @param maxSearchSteps    the most blocks one search examined
 */
public record HeapStats(long liveBlocks, long allocatedBytes, long usableBytes, long freeBlocks,
                        long freeBytes, long largestFreeBlock, long heapBytes, long mappedBytes,
                        long peakFootprintBytes, long searches, long searchSteps, long maxSearchSteps) {

    /** Counters of an allocator that does not track the longest search. */
    public HeapStats(long liveBlocks, long allocatedBytes, long usableBytes, long freeBlocks, long freeBytes,
                     long largestFreeBlock, long heapBytes, long mappedBytes, long peakFootprintBytes,
                     long searches, long searchSteps) {
        this(liveBlocks, allocatedBytes, usableBytes, freeBlocks, freeBytes, largestFreeBlock, heapBytes,
                mappedBytes, peakFootprintBytes, searches, searchSteps, 0);
    }

    /** {@return heap plus mapped bytes} */
    public long footprintBytes() {
        return heapBytes + mappedBytes;
    }

    /** {@return what no block owns: {@code footprint - allocated - free}} */
    public long metadataBytes() {
        return footprintBytes() - allocatedBytes - freeBytes;
    }
}
