package io.github.alloclab.metrics;

import java.util.List;

/**
 * The fragmentation measures of one replay: Johnstone and Wilson's four over time
 * ({@link FragmentationTracker}), and internal and external fragmentation with the free blocks at the point of
 * peak live memory ({@link HeapSnapshot}). {@code docs/fragmentation.md} gives every formula.
 *
 * @param jw1              memory used relative to memory requested, over all points in time
 * @param jw2              the same, at the point of peak live memory
 * @param jw3              peak memory used relative to the live memory at the point of peak memory used
 * @param jw4              peak memory used relative to peak live memory
 * @param internal         (allocated block bytes - requested bytes) / allocated block bytes
 * @param internalBytes    allocated block bytes - requested bytes
 * @param external         1 - largest free block / free bytes
 * @param largestFreeBlock the largest free block, in bytes
 * @param freeBlocks       the number of free blocks
 * @param freeBytes        the bytes in free blocks
 * @param histogram        the free blocks by power-of-two size class
 */
public record Fragmentation(Double jw1, Double jw2, Double jw3, Double jw4, double internal, long internalBytes,
                            double external, long largestFreeBlock, long freeBlocks, long freeBytes,
                            List<SizeClassCount> histogram) {

    public Fragmentation {
        histogram = List.copyOf(histogram);
    }

    /** {@return the measures of a tracker and a snapshot together} */
    public static Fragmentation of(FragmentationTracker.Measures m, HeapSnapshot s) {
        return new Fragmentation(m.jw1(), m.jw2(), m.jw3(), m.jw4(), s.internal(), s.internalBytes(), s.external(),
                s.largestFreeBlock(), s.freeBlocks(), s.freeBytes(), s.freeHistogram());
    }
}
