package io.github.alloclab.metrics;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state of a heap at one moment, derived from {@link Allocator#walk} and the memory source alone, so
 * that every allocator gets the same measures without widening its interface.
 *
 * <h2>Formulas</h2>
 * <pre>
 *  R  = requested bytes of the live blocks (the replay knows them; the heap does not)
 *  B  = sum of byteSize over ALLOCATED blocks (headers, footers, padding included)
 *  F  = sum of byteSize over FREE blocks,   Fmax = the largest FREE block
 *
 *  internalBytes = B - R                    internal = (B - R) / B       CS:APP 9.9.7
 *  external      = 1 - Fmax / F             (0 when F = 0): the share of free memory that a request of
 *                                           the largest free size could not use
 * </pre>
 * The free-block histogram counts FREE blocks by power-of-two size class {@code [2^k, 2^(k+1))}. The
 * {@linkplain ByteLadder byte ladder} is filled as that record documents; {@code active} counts each page
 * that holds any byte of an ALLOCATED block once.
 *
 * @param bytes            the byte ladder
 * @param allocatedBlocks  the number of ALLOCATED blocks
 * @param internalBytes    {@code B - R}
 * @param internal         {@code (B - R) / B}, or 0 when nothing is allocated
 * @param freeBlocks       the number of FREE blocks
 * @param freeBytes        {@code F}
 * @param largestFreeBlock {@code Fmax}
 * @param external         {@code 1 - Fmax / F}, or 0 when nothing is free
 * @param freeHistogram    the FREE blocks by size class, smallest class first, empty classes left out
 */
public record HeapSnapshot(ByteLadder bytes, long allocatedBlocks, long internalBytes, double internal,
                           long freeBlocks, long freeBytes, long largestFreeBlock, double external,
                           List<SizeClassCount> freeHistogram) {

    /** The snapshot of a heap with nothing in it. */
    public static final HeapSnapshot EMPTY = new HeapSnapshot(ByteLadder.EMPTY, 0, 0, 0, 0, 0, 0, 0, List.of());

    public HeapSnapshot {
        freeHistogram = List.copyOf(freeHistogram);
    }

    /**
     * Takes the snapshot of a live allocator.
     *
     * @param requestedBytes    payload bytes the program has live
     * @param residentBytes     resident bytes, from {@link PageAccounting} or {@link TouchedPages}
     * @param residentEstimated whether {@code residentBytes} is an estimate
     */
    public static HeapSnapshot take(Allocator allocator, long requestedBytes, long residentBytes,
                                    boolean residentEstimated) {
        MemorySource memory = allocator.memory();
        List<Block> blocks = new ArrayList<>();
        allocator.walk(blocks::add);
        return of(blocks, memory.pageSize(), mappedBytes(memory), requestedBytes, residentBytes, residentEstimated);
    }

    /** {@return the heap rounded up to whole pages, plus the mmapped bytes}: what the kernel has mapped */
    public static long mappedBytes(MemorySource memory) {
        long page = memory.pageSize();
        long heap = memory.brk() - memory.heapStart();
        return (heap + page - 1) / page * page + memory.mappedBytes();
    }

    /** Computes the snapshot from a heap's blocks; see the class comment for the formulas. */
    public static HeapSnapshot of(Iterable<Block> blocks, long pageSize, long mappedBytes, long requestedBytes,
                                  long residentBytes, boolean residentEstimated) {
        long allocatedBlocks = 0;
        long allocatedBlockBytes = 0;
        long usable = 0;
        long metadata = 0;
        long freeBlocks = 0;
        long freeBytes = 0;
        long largestFree = 0;
        Set<Long> activePages = new HashSet<>();
        TreeMap<Integer, long[]> classes = new TreeMap<>();
        for (Block b : blocks) {
            switch (b.state()) {
                case ALLOCATED -> {
                    allocatedBlocks++;
                    allocatedBlockBytes += b.byteSize();
                    usable += b.usable();
                    metadata += b.byteSize() - b.usable();
                    if (b.byteSize() > 0) {
                        for (long page = Math.floorDiv(b.address(), pageSize);
                             page <= Math.floorDiv(b.end() - 1, pageSize); page++) {
                            activePages.add(page);
                        }
                    }
                }
                case FREE -> {
                    freeBlocks++;
                    freeBytes += b.byteSize();
                    largestFree = Math.max(largestFree, b.byteSize());
                    long[] row = classes.computeIfAbsent(sizeClass(b.byteSize()), k -> new long[2]);
                    row[0]++;
                    row[1] += b.byteSize();
                }
                case METADATA -> metadata += b.byteSize();
            }
        }
        List<SizeClassCount> histogram = new ArrayList<>();
        classes.forEach((k, row) -> histogram.add(new SizeClassCount(k < 0 ? 0 : 1L << k, 1L << (k + 1), row[0], row[1])));
        ByteLadder ladder = new ByteLadder(requestedBytes, usable, activePages.size() * pageSize, mappedBytes,
                residentBytes, metadata, residentEstimated);
        long internalBytes = allocatedBlockBytes - requestedBytes;
        return new HeapSnapshot(ladder, allocatedBlocks, internalBytes,
                allocatedBlockBytes == 0 ? 0 : (double) internalBytes / allocatedBlockBytes,
                freeBlocks, freeBytes, largestFree,
                freeBytes == 0 ? 0 : 1 - (double) largestFree / freeBytes, histogram);
    }

    /** {@return k such that {@code 2^k <= byteSize < 2^(k+1)}; -1 for 0} */
    static int sizeClass(long byteSize) {
        return 63 - Long.numberOfLeadingZeros(byteSize);
    }
}
