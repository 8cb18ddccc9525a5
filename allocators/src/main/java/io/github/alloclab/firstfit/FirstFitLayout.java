package io.github.alloclab.firstfit;

/**
 * Where the first-fit allocator keeps its metadata inside a block, and how a boundary tag packs.
 *
 * <pre>
 *  boundary tag (header and footer, one 64-bit word each)
 *  63                                             4  3  2  1  0
 *  +-----------------------------------------------+--+--+--+--+
 *  |            block size / 16                    | 0  0  0 |a |   a = 1: allocated
 *  +-----------------------------------------------+--+--+--+--+
 *  The size is a multiple of 16, so its low four bits are free to carry flags; only bit 0 is used.
 *
 *  allocated block                      free block
 *  +0   header  (size | 1)              +0   header  (size | 0)
 *  +8   payload ...                     +8   next: header address of the next free block, or 0
 *       ...                             +16  prev: header address of the previous free block, or 0
 *  -8   footer  (size | 1)              -8   footer  (size | 0)
 * </pre>
 *
 * Links are stored as virtual addresses, as a C allocator stores pointers.
 */
public final class FirstFitLayout {

    /** Bytes in a header or footer. */
    public static final long WORD = 8;
    /** Payload alignment, and the granule of every block size. */
    public static final long ALIGNMENT = 16;
    /** Header, footer, and the two links a free block needs. */
    public static final long MIN_BLOCK = 32;
    /** Header plus footer: what an allocated block spends beyond its payload. */
    public static final long OVERHEAD = 2 * WORD;
    /** Offset of the next-free link from the block's header. */
    public static final long NEXT = WORD;
    /** Offset of the previous-free link from the block's header. */
    public static final long PREV = 2 * WORD;

    private static final long ALLOCATED_BIT = 1;

    private FirstFitLayout() {
    }

    /** {@return a boundary tag for a block of {@code byteSize} bytes} */
    public static long pack(long byteSize, boolean allocated) {
        return byteSize | (allocated ? ALLOCATED_BIT : 0);
    }

    /** {@return the block size a boundary tag holds} */
    public static long size(long tag) {
        return tag & -ALIGNMENT;
    }

    /** {@return whether a boundary tag marks its block allocated} */
    public static boolean isAllocated(long tag) {
        return (tag & ALLOCATED_BIT) != 0;
    }

    /**
     * {@return the block size that holds {@code byteSize} payload bytes}: the payload plus header and
     * footer, rounded up to the alignment, and never below {@link #MIN_BLOCK}.
     */
    public static long blockSizeFor(long byteSize) {
        long size = (byteSize + OVERHEAD + ALIGNMENT - 1) & -ALIGNMENT;
        return Math.max(size, MIN_BLOCK);
    }
}
