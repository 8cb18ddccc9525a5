package io.github.alloclab.buddy;

import java.util.List;

/**
 * What a {@link BuddyAllocator} counts beyond {@link io.github.alloclab.allocator.HeapStats}.
 *
 * <p>Internal fragmentation here is the rounding of requests up to a power of two (plus the header, with
 * in-band headers), over every allocation served from an arena since the allocator was made: the allocator
 * keeps no request sizes, so it cannot know the rounding of the blocks live now. A replay, which knows the
 * live requests, measures that ({@code alloclab buddyinfo --details}).
 *
 * @param minBlock        bytes of an order-0 block
 * @param maxOrder        the order of an arena
 * @param arenas          arenas held now
 * @param arenaBytes      bytes of one arena
 * @param freeBlocks      free blocks per order, 0 to {@code maxOrder}
 * @param liveBlocks      allocated blocks per order, 0 to {@code maxOrder}
 * @param largeBlocks     live blocks mapped on their own (too big for an arena, or aligned beyond a page)
 * @param largeBytes      bytes mapped for them
 * @param metadataBytes   bytes of the order maps
 * @param requestedBytes  bytes asked for by every allocation served from an arena
 * @param blockBytes      bytes of the blocks those allocations got
 * @param splits          blocks split in two
 * @param merges          pairs of buddies merged
 */
public record BuddyStats(long minBlock, int maxOrder, int arenas, long arenaBytes, List<Long> freeBlocks,
                         List<Long> liveBlocks, long largeBlocks, long largeBytes, long metadataBytes,
                         long requestedBytes, long blockBytes, long splits, long merges) {

    public BuddyStats {
        freeBlocks = List.copyOf(freeBlocks);
        liveBlocks = List.copyOf(liveBlocks);
    }

    /** {@return the bytes of a block of {@code order}} */
    public long blockBytes(int order) {
        return minBlock << order;
    }

    /** {@return {@code blockBytes - requestedBytes}: what rounding up to powers of two has cost} */
    public long roundingWaste() {
        return blockBytes - requestedBytes;
    }

    /** {@return the rounding waste as a fraction of the block bytes, in [0, 1)} */
    public double internalFragmentation() {
        return blockBytes == 0 ? 0 : (double) roundingWaste() / blockBytes;
    }
}
