package io.github.alloclab.firstfit;

/**
 * The size classes of segregated fits: which free list a block of a given size goes on.
 *
 * <p>Small blocks get a class per 16 bytes; from 1 KiB up, each power of two is cut into four classes, so a
 * class never spans more than a quarter of its lower bound (the spacing jemalloc uses). Classes are ordered:
 * every block of a higher class is larger than every block of a lower one, which is what lets a search that
 * finds nothing in its own class take <em>any</em> block of the next non-empty class.
 *
 * <pre>
 *  class        block sizes (bytes)                     count
 *  0 .. 63      [16c, 16c + 15]                           64   (classes 0 and 1 stay empty: no block is below 32)
 *  64 .. 67     [1024, 1279] [1280, 1535] [1536, 1791] [1792, 2047]
 *  68 .. 71     [2048, 2559] [2560, 3071] [3072, 3583] [3584, 4095]
 *  ...          for 2^k, k = 10 .. 62: 4 classes of width 2^(k-2), starting at class 64 + 4(k - 10)
 *  275          [7 * 2^60, 2^63 - 1]
 * </pre>
 *
 * {@code classOf(s) = s >> 4} below 1024, else {@code 64 + 4(k - 10) + ((s >> (k - 2)) & 3)} with
 * {@code k = floor(log2 s)}: the two bits below the leading one pick the quarter.
 */
public final class SizeClasses {

    /** How many classes there are. */
    public static final int COUNT = 64 + 4 * (63 - 10);

    private static final int SMALL_CLASSES = 64;
    private static final long SMALL_LIMIT = 1024;

    private SizeClasses() {
    }

    /** {@return the class of a block of {@code byteSize} bytes} */
    public static int classOf(long byteSize) {
        if (byteSize < SMALL_LIMIT) {
            return (int) (byteSize >>> 4);
        }
        int k = 63 - Long.numberOfLeadingZeros(byteSize);
        return SMALL_CLASSES + 4 * (k - 10) + (int) ((byteSize >>> (k - 2)) & 3);
    }

    /** {@return the smallest block size in class {@code sizeClass}} */
    public static long lowerBound(int sizeClass) {
        if (sizeClass < SMALL_CLASSES) {
            return (long) sizeClass << 4;
        }
        int k = 10 + (sizeClass - SMALL_CLASSES) / 4;
        long quarter = (sizeClass - SMALL_CLASSES) % 4;
        return (4 + quarter) << (k - 2);
    }

    /** {@return the largest block size in class {@code sizeClass}} */
    public static long upperBound(int sizeClass) {
        return sizeClass == COUNT - 1 ? Long.MAX_VALUE : lowerBound(sizeClass + 1) - 1;
    }
}
