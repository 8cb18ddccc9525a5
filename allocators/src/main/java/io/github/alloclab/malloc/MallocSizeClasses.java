package io.github.alloclab.malloc;

/**
 * The size classes of {@link MallocAllocator}: every 16 bytes up to 512, then four per doubling (jemalloc's
 * spacing), up to 32 MiB, the largest mmap threshold glibc's dynamic threshold may reach.
 *
 * <pre>
 *  class   0    1    2   ...  31  |  32   33   34   35  |  36    37    38    39  | ...
 *  size    16   32   48  ...  512 |  640  768  896  1024 | 1280  1536  1792  2048 | ...   2^k + j·2^(k-2), j = 1..4
 * </pre>
 *
 * {@code classOf(n)} is the smallest class that holds {@code n}: {@code ceil(n / 16) - 1} up to 512; above, with
 * {@code 2^k < n <= 2^(k+1)} and {@code j = ceil((n - 2^k) / 2^(k-2))}, it is {@code 32 + 4(k - 9) + j - 1}. A
 * class wastes at most 15 bytes below 512 and less than a quarter of a request above, a fifth of the class: the
 * worst case is {@code n = 2^k + 1} rounded to {@code 2^k + 2^(k-2)}, which wastes {@code 2^(k-2) - 1} (255 bytes
 * of the 1280 that hold a request of 1025). The small bins of the allocator are the classes up to its
 * {@code smallMax}; a medium request takes a block of its own size from the segregated heap, whose free lists
 * are themselves kept by class.
 */
public final class MallocSizeClasses {

    /** The classes up to 512 bytes, one per 16. */
    public static final int FINE = 32;
    /** The largest class: 32 MiB. */
    public static final long MAX = 32L << 20;
    /** How many classes there are. */
    public static final int COUNT = classOf(MAX) + 1;

    private MallocSizeClasses() {
    }

    /**
     * {@return the smallest class whose size is at least {@code byteSize}}
     *
     * @throws IllegalArgumentException if {@code byteSize} is negative or above {@link #MAX}
     */
    public static int classOf(long byteSize) {
        if (byteSize < 0 || byteSize > MAX) {
            throw new IllegalArgumentException("no size class holds " + byteSize + " bytes");
        }
        if (byteSize <= 16L * FINE) {
            return (int) Math.max(0, (byteSize + 15) / 16 - 1);
        }
        int k = 63 - Long.numberOfLeadingZeros(byteSize - 1);
        long step = 1L << (k - 2);
        long j = (byteSize - (1L << k) + step - 1) / step;
        return FINE + 4 * (k - 9) + (int) j - 1;
    }

    /** {@return the bytes of class {@code sizeClass}} */
    public static long size(int sizeClass) {
        if (sizeClass < 0 || sizeClass >= COUNT) {
            throw new IllegalArgumentException("no size class " + sizeClass);
        }
        if (sizeClass < FINE) {
            return 16L * (sizeClass + 1);
        }
        int k = 9 + (sizeClass - FINE) / 4;
        long j = (sizeClass - FINE) % 4 + 1;
        return (1L << k) + j * (1L << (k - 2));
    }
}
