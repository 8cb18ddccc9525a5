package io.github.alloclab.firstfit;

import io.github.alloclab.memory.MemorySource;

/**
 * The bytes checked mode writes around and into blocks, and how it reads them back.
 *
 * <pre>
 *  allocated block in checked mode (h = headerBytes, R = redZoneBytes, a = alignment)
 *  b + h - 8   tag
 *  b + h       size word: n ^ p ^ SIZE_KEY, the requested size keyed by the payload address
 *  b + h + 8   red zone, 0xcc ...                    lead = roundUp(8 + R, a) bytes from b + h to p
 *  p           payload, n bytes
 *  p + n       red zone, 0xcc ... up to the footer   at least R bytes
 *
 *  free block in checked mode
 *  b + h - 8   tag;  b + h, b + h + 8: next, prev
 *  b + h + 16  poison, 0x6b ... up to the footer; where coalescing swallowed a block's tag, the word
 *              0xa5a5a5a5a5a5a5a5 (a tombstone) marks that a freed payload started right above it
 * </pre>
 *
 * The byte values are the Linux SLUB debugger's: {@code 0xcc} is {@code SLUB_RED_ACTIVE}, {@code 0x6b} is
 * {@code POISON_FREE}, {@code 0xa5} is {@code POISON_END}.
 *
 * <ul>
 *   <li>A write before a payload changes its leading red zone: <i>memory clobbered before allocated block</i>.</li>
 *   <li>A write past the end changes the trailing red zone: <i>memory clobbered past end of allocated block</i>
 *       (both glibc {@code mcheck}'s wording), found at {@code free}, {@code realloc} or {@code check()}.</li>
 *   <li>A write into freed memory changes its poison: a use after free, found when the block is handed out
 *       again or at {@code check()}.</li>
 *   <li>A free of a pointer whose tag was swallowed by coalescing finds the tombstone below it: a double free.</li>
 * </ul>
 *
 * When checked mode reports a clobbered red zone or poison, it restores the pattern first, so that the heap
 * stays usable and the same damage is reported once.
 */
public final class Guards {

    /** Red-zone byte around every live payload (SLUB's {@code SLUB_RED_ACTIVE}). */
    public static final byte RED_ZONE = (byte) 0xcc;
    /** Poison byte in every freed payload (SLUB's {@code POISON_FREE}). */
    public static final byte POISON = (byte) 0x6b;
    /** A word of poison. */
    public static final long POISON_WORD = 0x6b6b_6b6b_6b6b_6b6bL;
    /** The word that replaces the tag of a freed block when coalescing swallows it (SLUB's {@code POISON_END}, 0xa5). */
    public static final long TOMBSTONE = 0xa5a5_a5a5_a5a5_a5a5L;
    /** Mixed into the stored requested size, so that a word of payload rarely passes for one. */
    static final long SIZE_KEY = 0x5a17_c0de_5eed_a110L;

    private static final long ONES = 0x0101_0101_0101_0101L;

    private Guards() {
    }

    static long encodeSize(long byteSize, long payload) {
        return byteSize ^ payload ^ SIZE_KEY;
    }

    static long decodeSize(long word, long payload) {
        return word ^ payload ^ SIZE_KEY;
    }

    /** {@return the first address in {@code [from, to)} whose byte is not {@code value}, or -1} */
    static long firstDifferent(MemorySource memory, long from, long to, byte value) {
        long a = from;
        while (a < to && (a & 7) != 0) {
            if (memory.getByte(a) != value) {
                return a;
            }
            a++;
        }
        long word = (value & 0xffL) * ONES;
        for (; a + 8 <= to; a += 8) {
            if (memory.getLong(a) != word) {
                break;
            }
        }
        for (; a < to; a++) {
            if (memory.getByte(a) != value) {
                return a;
            }
        }
        return -1;
    }

    /**
     * {@return the first address in the 8-aligned range {@code [from, to)} of a word that is neither poison
     * nor a tombstone, or -1}
     */
    static long firstUnpoisoned(MemorySource memory, long from, long to) {
        for (long a = from; a < to; a += 8) {
            long w = memory.getLong(a);
            if (w != POISON_WORD && w != TOMBSTONE) {
                for (long b = a; ; b++) {
                    if (memory.getByte(b) != POISON) {
                        return b;
                    }
                }
            }
        }
        return -1;
    }

    /** Puts poison back in every word of {@code [from, to)} that is neither poison nor a tombstone. */
    static void repairPoison(MemorySource memory, long from, long to) {
        for (long a = from; a < to; a += 8) {
            long w = memory.getLong(a);
            if (w != POISON_WORD && w != TOMBSTONE) {
                memory.putLong(a, POISON_WORD);
            }
        }
    }
}
