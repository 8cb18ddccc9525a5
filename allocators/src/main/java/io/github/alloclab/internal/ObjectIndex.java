package io.github.alloclab.internal;

/**
 * The index of an object among equal-sized objects, without a division: {@code floor(offset / size)} is
 * {@code (offset · m) >>> 32} with {@code m = ceil(2^32 / size)}.
 *
 * <p>Why it is exact: write {@code m·size = 2^32 + e} with {@code 0 <= e < size}, and {@code offset = q·size + r}
 * with {@code 0 <= r < size}. Then {@code offset·m / 2^32 = q + r/size + offset·e / (size·2^32)}, and the last two
 * terms add up to less than {@code (size - 1)/size + offset / 2^32}, which is below 1 whenever
 * {@code offset < 2^32 / size}. Slabs and zone chunks are far smaller than that. (Linux's
 * {@code reciprocal_divide}, and the multiply-shift that compilers emit for division by a constant.)
 */
public final class ObjectIndex {

    private ObjectIndex() {
    }

    /** {@return {@code m = ceil(2^32 / size)}} */
    public static long reciprocal(long size) {
        if (size <= 0 || size > 1L << 31) {
            throw new IllegalArgumentException("size must be from 1 to 2^31: " + size);
        }
        return ((1L << 32) + size - 1) / size;
    }

    /** {@return {@code floor(offset / size)} for {@code 0 <= offset < 2^32 / size}} */
    public static long index(long offset, long reciprocal) {
        return (offset * reciprocal) >>> 32;
    }
}
