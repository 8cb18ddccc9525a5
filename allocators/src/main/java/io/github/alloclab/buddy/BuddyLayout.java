package io.github.alloclab.buddy;

import io.github.alloclab.internal.Scramble;

/**
 * The address arithmetic of a binary buddy system, and the tag that says what starts at an address.
 *
 * <h2>Orders, offsets, buddies</h2>
 * An <b>offset</b> is an address minus the base of its arena. With {@code B = 2^s} the minimum block, a block
 * of <b>order</b> {@code k} is {@code B·2^k} bytes and starts at an offset that is a multiple of its size:
 * <pre>
 *   size(k)        = B &lt;&lt; k                      = 1 &lt;&lt; (k + s)
 *   order(n)       = min { k : size(k) >= n }    = ceil(log2 n) - s, or 0 when n &lt;= B
 *   buddy(off, k)  = off XOR size(k)             the other half of the block of order k + 1 that holds off
 *   parent(off, k) = off AND NOT size(k)         where that block of order k + 1 starts
 * </pre>
 * XOR flips the one bit that tells the lower half from the upper half; because every block is aligned to
 * its size, no other bit changes, and {@code buddy(buddy(off, k), k) = off}.
 *
 * <h2>Tag</h2>
 * One byte per block, kept where the allocator keeps block state: in the order map (one byte per minimum
 * block, the byte of the block's first minimum block) or in the block's header.
 * <pre>
 *    7      6     5     4     3     2     1     0
 *  +-----+-----------+-----------------------------+
 *  |  h  |   state   |            order            |
 *  +-----+-----------+-----------------------------+
 *  h = 1      a block starts here (a "head"); a byte of 0 means no block starts here
 *  state      00 free, 01 allocated, 10 metadata (the order map itself)
 *  order      0 .. 31
 * </pre>
 * A header keeps the same byte in the low bits of its first word; the other 56 bits hold a canary derived
 * from the block's address ({@link #headerWord}), so that a stray pointer is not mistaken for a block.
 */
public final class BuddyLayout {

    /** Set in the tag of every block head. */
    public static final int HEAD = 0x80;
    /** State bits of a tag. */
    public static final int STATE_MASK = 0x60;
    public static final int FREE = 0x00;
    public static final int ALLOCATED = 0x20;
    public static final int METADATA = 0x40;
    /** Order bits of a tag. */
    public static final int ORDER_MASK = 0x1f;
    /** The largest order a tag can hold. */
    public static final int MAX_ORDER = ORDER_MASK;

    private BuddyLayout() {
    }

    /** {@return the tag of a block head in {@code state} ({@link #FREE}, {@link #ALLOCATED}, {@link #METADATA})} */
    public static int tag(int state, int order) {
        return HEAD | state | order;
    }

    public static boolean isHead(int tag) {
        return (tag & HEAD) != 0;
    }

    public static int state(int tag) {
        return tag & STATE_MASK;
    }

    public static int order(int tag) {
        return tag & ORDER_MASK;
    }

    /** {@return the bytes in a block of {@code order}, for a minimum block of {@code 1 << minShift} bytes} */
    public static long blockSize(int order, int minShift) {
        return 1L << (order + minShift);
    }

    /** {@return the smallest order whose blocks hold {@code byteSize} bytes} */
    public static int orderFor(long byteSize, int minShift) {
        if (byteSize <= 1L << minShift) {
            return 0;
        }
        // ceil(log2 n) = 64 - numberOfLeadingZeros(n - 1) for n >= 2
        return 64 - Long.numberOfLeadingZeros(byteSize - 1) - minShift;
    }

    /** {@return the offset of the buddy of the block of {@code order} at {@code offset}} */
    public static long buddyOf(long offset, int order, int minShift) {
        return offset ^ blockSize(order, minShift);
    }

    /** {@return the offset of the block of {@code order + 1} that the block at {@code offset} is half of} */
    public static long parentOf(long offset, int order, int minShift) {
        return offset & ~blockSize(order, minShift);
    }

    /** {@return whether the block of {@code order} at {@code offset} is the lower half of its parent} */
    public static boolean isLowerHalf(long offset, int order, int minShift) {
        return (offset & blockSize(order, minShift)) == 0;
    }

    // ---- in-band headers -------------------------------------------------------------------------------

    /** Bytes of an in-band header: the tag word, and a word of padding that keeps payloads 16-byte aligned. */
    public static final long HEADER_BYTES = 16;

    /** {@return the header word that stores {@code tag} for the block at {@code block}} */
    public static long headerWord(long block, int tag) {
        return (canary(block) & ~0xFFL) | tag;
    }

    /** {@return the tag a header word holds, or 0 if the word is not a header of the block at {@code block}} */
    public static int tagOfHeaderWord(long block, long word) {
        return ((word ^ canary(block)) & ~0xFFL) == 0 ? (int) (word & 0xFF) : 0;
    }

    /** The canary of an address: a scramble, so that no address's canary looks like another's. */
    static long canary(long address) {
        return Scramble.splitMix64(address);
    }
}
