package io.github.alloclab.firstfit;

/**
 * Where the first-fit family keeps its metadata inside a block, and how a boundary tag packs.
 *
 * <pre>
 *  boundary tag (one 64-bit word: the last word of the header, and the footer)
 *  63                                             3    2    1    0
 *  +-----------------------------------------------+----+----+----+
 *  |            block size (a multiple of 8)       | m  | p  | a  |
 *  +-----------------------------------------------+----+----+----+
 *  a = 1: this block is allocated
 *  p = 1: the block just below this one is allocated (so it has no footer to read); kept only when
 *         allocated blocks have no footer: with footers, the footer below tells, and p stays 0
 *  m = 1: this block is a mapping of its own, made by mmap (its tag sits right below the payload, and the heap walk never sees it)
 * </pre>
 *
 * Every block size is a multiple of the alignment, at least 8, so the three low bits are free for flags.
 *
 * <pre>
 *  h = headerBytes, the header in front of every payload; its last word is the tag
 *
 *  allocated block                          free block
 *  b          pad (h - 8 bytes, if any)     b          pad
 *  b + h - 8  tag  (size | a=1 | p)         b + h - 8  tag  (size | a=0 | p)
 *  b + h      payload ...                   b + h      next: the next free block in the list, or 0
 *                                           b + h + 8  prev: the previous free block in the list, or 0
 *             ...                                      ... (in checked mode: poison)
 *  b + s - 8  footer = tag (only when       b + s - 8  footer = tag (always)
 *             allocatedFooters is on)
 * </pre>
 *
 * A block is named by its start {@code b}; links hold block starts, as virtual addresses, as a C allocator
 * stores pointers. The smallest block holds the header, two links and a footer: {@code h + 24} bytes rounded
 * up to the alignment.
 *
 * <p>glibc's chunks work the same way: the size word sits right below the payload, its low bits carry
 * {@code PREV_INUSE} and {@code IS_MMAPPED}, and only free chunks have a footer (glibc's {@code prev_size}).
 */
public final class FirstFitLayout {

    /** Bytes in a tag or a link. */
    public static final long WORD = 8;
    /** Tag bit: this block is allocated. */
    public static final long ALLOCATED = 1;
    /** Tag bit: the block below this one is allocated. */
    public static final long PREV_ALLOCATED = 2;
    /** Tag bit: this block is an mmap mapping of its own. */
    public static final long MMAPPED = 4;

    private static final long FLAGS = 7;

    private FirstFitLayout() {
    }

    /** {@return a boundary tag} */
    public static long pack(long byteSize, boolean allocated, boolean prevAllocated) {
        return byteSize | (allocated ? ALLOCATED : 0) | (prevAllocated ? PREV_ALLOCATED : 0);
    }

    /** {@return the block size a tag holds} */
    public static long size(long tag) {
        return tag & ~FLAGS;
    }

    /** {@return whether a tag marks its block allocated} */
    public static boolean isAllocated(long tag) {
        return (tag & ALLOCATED) != 0;
    }

    /** {@return whether a tag says the block below is allocated} */
    public static boolean isPrevAllocated(long tag) {
        return (tag & PREV_ALLOCATED) != 0;
    }

    /** {@return whether a tag marks an mapped block} */
    public static boolean isMmapped(long tag) {
        return (tag & MMAPPED) != 0;
    }

    /** {@return the smallest block that can be free: header, two links and footer, rounded up to the alignment} */
    public static long minBlock(long headerBytes, long alignment) {
        return roundUp(headerBytes + 3 * WORD, alignment);
    }

    /** {@return {@code value} rounded up to a multiple of the power of two {@code alignment}} */
    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
