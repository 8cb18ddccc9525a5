package io.github.alloclab.slab;

/**
 * Tunables of {@link SlabAllocator}.
 *
 * @param chunkBytes     the chunks the page allocator under the caches takes from the break, a power of two from
 *                       16 KiB to 1 GiB; smaller chunks waste less of a small heap, larger ones spend less on
 *                       page maps
 * @param maxSlabOrder   the largest slab, {@code 2^maxSlabOrder} pages, from 0 to 6
 * @param offSlabMin     objects of at least this many bytes keep their slab's header off the slab, in
 *                       {@code kmem_slab_cache} (Bonwick's threshold is an eighth of a page); from 16 to 65536
 * @param colourBytes    the step of slab colouring, a cache line: a power of two from 16 to 4096
 * @param maxEmptySlabs  empty slabs a cache keeps for the next allocations before it gives the rest back to the
 *                       page allocator at once (Linux SLUB's {@code min_partial}); from 0 to 1024. A reap gives
 *                       back all of them.
 * @param magazineRounds objects per magazine of the per-thread layer in front of the caches (Bonwick and
 *                       Adams 2001), from 0 to 1024; 0 turns the layer off
 */
public record SlabSettings(long chunkBytes, int maxSlabOrder, long offSlabMin, long colourBytes, int maxEmptySlabs,
                           int magazineRounds) {

    /**
     * 128 KiB chunks, slabs of up to 8 pages, off-slab from 512 bytes, 64-byte colours, one empty slab kept, and
     * magazines of 16 rounds in front of the caches (Solaris has had them since 2001).
     */
    public static final SlabSettings DEFAULTS = new SlabSettings(128 * 1024, 3, 512, 64, 1, 16);

    /** {@link #DEFAULTS} without the magazine layer: the 1994 design, single-threaded. */
    public static final SlabSettings NO_MAGAZINES = new SlabSettings(128 * 1024, 3, 512, 64, 1, 0);

    public SlabSettings {
        if (chunkBytes < 16 * 1024 || chunkBytes > 1L << 30 || Long.bitCount(chunkBytes) != 1) {
            throw new IllegalArgumentException("chunkBytes must be a power of two from 16K to 1G: " + chunkBytes);
        }
        if (maxSlabOrder < 0 || maxSlabOrder > 6) {
            throw new IllegalArgumentException("maxSlabOrder must be from 0 to 6: " + maxSlabOrder);
        }
        if (offSlabMin < 16 || offSlabMin > 65_536) {
            throw new IllegalArgumentException("offSlabMin must be from 16 to 65536: " + offSlabMin);
        }
        if (colourBytes < 16 || colourBytes > 4096 || Long.bitCount(colourBytes) != 1) {
            throw new IllegalArgumentException("colourBytes must be a power of two from 16 to 4096: " + colourBytes);
        }
        if (maxEmptySlabs < 0 || maxEmptySlabs > 1024) {
            throw new IllegalArgumentException("maxEmptySlabs must be from 0 to 1024: " + maxEmptySlabs);
        }
        if (magazineRounds < 0 || magazineRounds > 1024) {
            throw new IllegalArgumentException("magazineRounds must be from 0 to 1024: " + magazineRounds);
        }
    }
}
