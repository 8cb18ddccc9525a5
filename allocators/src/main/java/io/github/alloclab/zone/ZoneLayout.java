package io.github.alloclab.zone;

/**
 * A zone chunk: {@code 2^k} pages from the page allocator, aligned to their size, with a header at the start.
 *
 * <pre>
 *  chunk (aligned to its size C)                                                              chunk + C
 *  | header                     | elem 0 | elem 1 | elem 2 |  ...                | elem n-1 | unused |
 *  +-- H = roundUp(40 + 8w, 16) +
 *
 *  header, by offset
 *  +0   magic   chunk XOR the allocator's random key: free() tests p's page, then the 2, 4, ... page
 *               boundaries below p, for this word, to find the chunk from any element
 *  +8   zone    the zone's id (low 32 bits); bit 32 marks a chunk being collected by zone_gc
 *  +16  first   the address of element 0
 *  +24  next    the zone's next chunk, or 0 (the zone's chunk list, for the walk, the checker and zone_gc)
 *  +32  bitmap  w = ceil(n / 64) words; bit i is set while element i is allocated
 * </pre>
 *
 * Free elements hold the next free element of the zone, from any chunk, in their first word: Mach's LIFO
 * free list threads the whole zone, not a chunk.
 */
final class ZoneLayout {

    static final long MAGIC = 0;
    static final long ZONE = 8;
    static final long FIRST = 16;
    static final long NEXT = 24;
    static final long BITMAP = 32;
    static final long COLLECTING = 1L << 32;

    private ZoneLayout() {
    }

    /** {@return the header bytes of a chunk of {@code elements} elements} */
    static long headerBytes(long elements) {
        return roundUp(BITMAP + 8 * ((elements + 63) / 64), 16);
    }

    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
