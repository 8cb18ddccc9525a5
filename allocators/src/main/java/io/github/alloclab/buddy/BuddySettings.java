package io.github.alloclab.buddy;

/**
 * Tunables of {@link BuddyAllocator}.
 *
 * @param minBlock           the order-0 block in bytes, a power of two from 16 to 4096; 16 suits malloc, where
 *                           most requests are small; with in-band headers it must be at least 32
 * @param maxOrder           the order of an arena: arenas are {@code minBlock << maxOrder} bytes, at least a
 *                           page and at most 1 GiB
 * @param source             where arenas come from
 * @param metadata           where the state and order of each block are kept
 * @param releaseEmptyArenas whether an arena that becomes empty goes back to the system: {@code munmap} for a
 *                           mapped arena, a negative {@code sbrk} for the brk arena at the top of the heap
 *                           (the lowest brk arena is always kept)
 */
public record BuddySettings(long minBlock, int maxOrder, Source source, Metadata metadata,
                            boolean releaseEmptyArenas) {

    /** Where arenas come from. */
    public enum Source {
        /** From the brk heap, one arena after another; when the heap cannot grow, from mmap, as glibc does. */
        BRK,
        /** Each arena its own anonymous mapping. */
        MMAP
    }

    /** Where block state lives. */
    public enum Metadata {
        /** Out of band: one tag byte per minimum block, in a map at the bottom of each arena. */
        ORDER_MAP,
        /** In band: a 16-byte header at the start of every block, in front of the payload. */
        HEADER
    }

    /**
     * 16-byte minimum blocks, 64 KiB arenas from brk, an order map; requests above 32 KiB use mmap. Of the
     * arena sizes measured on the bundled traces (16 KiB to 1 MiB), 16 to 64 KiB give the best utilisation,
     * since mid-sized requests fit pages more tightly than powers of two; 64 KiB keeps the buddy system in
     * charge of more sizes. 16-byte blocks beat 32-byte ones on every trace (tsort: 82.1% against 58.7%).
     */
    public static final BuddySettings DEFAULTS = new BuddySettings(16, 12, Source.BRK, Metadata.ORDER_MAP, true);

    /** As {@link #DEFAULTS} (64 KiB arenas) with in-band headers, which need 32-byte minimum blocks. */
    public static final BuddySettings HEADERS = new BuddySettings(32, 11, Source.BRK, Metadata.HEADER, true);

    /** As {@link #DEFAULTS} with every arena mapped on its own. */
    public static final BuddySettings MAPPED = new BuddySettings(16, 12, Source.MMAP, Metadata.ORDER_MAP, true);

    public BuddySettings {
        if (minBlock < 16 || minBlock > 4096 || Long.bitCount(minBlock) != 1) {
            throw new IllegalArgumentException("minBlock must be a power of two from 16 to 4096: " + minBlock);
        }
        if (source == null || metadata == null) {
            throw new IllegalArgumentException("source and metadata must be given");
        }
        if (metadata == Metadata.HEADER && minBlock < 32) {
            throw new IllegalArgumentException("with metadata=HEADER, minBlock must be at least 32 (a 16-byte header"
                    + " and two 8-byte free-list links): " + minBlock);
        }
        int minShift = Long.numberOfTrailingZeros(minBlock);
        if (maxOrder < 1 || maxOrder > BuddyLayout.MAX_ORDER || maxOrder + minShift > 30) {
            throw new IllegalArgumentException("maxOrder must make arenas (minBlock << maxOrder) of at most 1 GiB,"
                    + " with 1 <= maxOrder <= 31: " + maxOrder);
        }
    }

    /** {@return the bytes of an arena: {@code minBlock << maxOrder}} */
    public long arenaBytes() {
        return minBlock << maxOrder;
    }
}
