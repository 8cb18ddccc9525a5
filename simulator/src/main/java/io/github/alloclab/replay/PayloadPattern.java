package io.github.alloclab.replay;

import io.github.alloclab.memory.MemorySource;

/**
 * The bytes a replay writes into each payload, derived from the block's id, so that any byte an allocator
 * (or another block) overwrites is noticed later.
 *
 * <p>Word {@code k} of the payload of block {@code id} (the 8 bytes at offset {@code 8k}, little-endian) is
 * {@code seed(id) + k * 0x9E3779B97F4A7C15}, with {@code seed} a SplitMix64 scramble of the id. A byte's
 * value depends only on the id and its offset, so a block moved by {@code realloc} keeps a valid prefix.
 */
final class PayloadPattern {

    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private PayloadPattern() {
    }

    static long seed(int id) {
        long z = id * GOLDEN + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    static byte byteAt(int id, long offset) {
        long word = seed(id) + (offset >>> 3) * GOLDEN;
        return (byte) (word >>> ((offset & 7) * 8));
    }

    /** Writes the pattern of block {@code id} into payload bytes {@code [from, to)} at {@code address}. */
    static void fill(MemorySource memory, long address, int id, long from, long to) {
        long seed = seed(id);
        long offset = from;
        while (offset < to && (offset & 7) != 0) {
            memory.putByte(address + offset, byteAt(id, offset));
            offset++;
        }
        for (; offset + 8 <= to; offset += 8) {
            memory.putLong(address + offset, seed + (offset >>> 3) * GOLDEN);
        }
        for (; offset < to; offset++) {
            memory.putByte(address + offset, byteAt(id, offset));
        }
    }

    /** {@return the offset of the first byte of {@code [0, length)} that differs from the pattern, or -1} */
    static long firstMismatch(MemorySource memory, long address, int id, long length) {
        long seed = seed(id);
        long offset = 0;
        for (; offset + 8 <= length; offset += 8) {
            if (memory.getLong(address + offset) != seed + (offset >>> 3) * GOLDEN) {
                break;
            }
        }
        for (; offset < length; offset++) {
            if (memory.getByte(address + offset) != byteAt(id, offset)) {
                return offset;
            }
        }
        return -1;
    }
}
