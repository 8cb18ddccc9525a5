package io.github.alloclab.slab;

import io.github.alloclab.internal.ObjectIndex;

/**
 * Where a slab keeps its bookkeeping: a header (Bonwick's {@code kmem_slab}) at the start of the slab for small
 * objects ("on-slab"), or in a descriptor object of the cache {@code kmem_slab_cache} for large ones
 * ("off-slab"), so that power-of-two objects fill their pages exactly.
 *
 * <pre>
 *  on-slab: one page (or pageSize - 8 bytes, inside a heap block whose 8-byte header ends the page before)
 *  base                                                                                base + span
 *  | header             | colour | obj 0 | obj 1 | obj 2 |  ...  | obj n-1 | leftover - colour |
 *  +--- H bytes --------+        ^ first
 *
 *  off-slab: 2^k pages; the descriptor is an object of kmem_slab_cache, found through the page map
 *  base                                                                     base + 2^k pages
 *  | colour | obj 0 | obj 1 | ... | obj n-1 | leftover - colour |
 *
 *  header / descriptor, by offset
 *  +0    magic     base XOR a per-allocator random key (descriptor address XOR key, off-slab): a word that
 *                  no caller data matches except by a 2^-64 chance, so free() can test p's page for a header
 *  +8    cache     the cache's id                                         (int, upper half 0)
 *  +16   next      the next slab on the cache's list, or 0
 *  +24   prev      the previous slab on the list, or 0 at its head
 *  +32   free      the first free object, or 0 when the slab is full; each free object holds the next at
 *                  its link offset (0, or the object size when a constructor's state must survive)
 *  +40   inuse     objects allocated from this slab                       (int, upper half 0)
 *  +48   first     address of object 0: base + H + colour (on-slab), base + colour (off-slab)
 *  +56   base      address of the slab's memory
 *  +64   bitmap    ceil(n / 64) words; bit i is set while object i is allocated
 * </pre>
 *
 * {@code H = roundUp(64 + 8·ceil(n / 64), 16)}: 72 bytes rounded to 80 for up to 64 objects, 96 for up to
 * 256. Object {@code i} of a slab is at {@code first + i·size}; its index is found without a division as
 * {@code ((p - first) · m) >>> 32} with {@code m = ceil(2^32 / size)}, which is exact for every
 * {@code p - first < 2^32 / size} ({@link ObjectIndex}; sizes and spans here keep far below that).
 */
final class SlabLayout {

    static final long MAGIC = 0;
    static final long CACHE = 8;
    static final long NEXT = 16;
    static final long PREV = 24;
    static final long FREE = 32;
    static final long INUSE = 40;
    static final long FIRST = 48;
    static final long BASE = 56;
    static final long BITMAP = 64;

    /** Bytes of a descriptor of an off-slab cache: a bitmap word, so at most 64 objects per slab. */
    static final long DESCRIPTOR_BYTES = 80;
    /** The most objects an off-slab slab may hold: one bitmap word in its descriptor. */
    static final int MAX_OFF_SLAB_OBJECTS = 64;

    private SlabLayout() {
    }

    /** {@return H, the bytes of an on-slab header for {@code objects} objects, a multiple of {@code align}} */
    static long headerBytes(long objects, long align) {
        return roundUp(BITMAP + 8 * ((objects + 63) / 64), Math.max(16, align));
    }

    /** {@return the bitmap words for {@code objects} objects} */
    static long bitmapWords(long objects) {
        return (objects + 63) / 64;
    }

    /** {@return {@code m = ceil(2^32 / size)}, the multiplier of {@link #index}} */
    static long reciprocal(long size) {
        return ObjectIndex.reciprocal(size);
    }

    /** {@return {@code floor(offset / size)} for {@code 0 <= offset < 2^32 / size}, by a multiply and a shift} */
    static long index(long offset, long reciprocal) {
        return ObjectIndex.index(offset, reciprocal);
    }

    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
