package io.github.alloclab.report;

import io.github.alloclab.allocator.BlockState;

/**
 * Adjacent heap blocks drawn as one bar of a timeline row: blocks of one state that touch, or, where blocks are
 * too small to see apart, a mix of states ({@link RunBuilder} says when).
 *
 * @param start          the first block's address
 * @param end            the first address past the last block
 * @param blocks         how many blocks the run holds
 * @param allocatedBytes bytes of {@link BlockState#ALLOCATED} blocks
 * @param freeBytes      bytes of {@link BlockState#FREE} blocks
 * @param metadataBytes  bytes of {@link BlockState#METADATA} blocks
 */
public record BlockRun(long start, long end, long blocks, long allocatedBytes, long freeBytes, long metadataBytes) {

    /** {@return the run's extent in bytes, gaps between its blocks included} */
    public long byteSize() {
        return end - start;
    }

    /** {@return the state with the most bytes: the run's colour} (ties go to allocated, then free) */
    public BlockState state() {
        if (allocatedBytes >= freeBytes && allocatedBytes >= metadataBytes) {
            return BlockState.ALLOCATED;
        }
        return freeBytes >= metadataBytes ? BlockState.FREE : BlockState.METADATA;
    }

    /** {@return whether blocks of more than one state were merged into this run} */
    public boolean mixed() {
        int states = (allocatedBytes > 0 ? 1 : 0) + (freeBytes > 0 ? 1 : 0) + (metadataBytes > 0 ? 1 : 0);
        return states > 1;
    }
}
