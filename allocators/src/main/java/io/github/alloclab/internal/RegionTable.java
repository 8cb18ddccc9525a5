package io.github.alloclab.internal;

import java.util.Arrays;

/**
 * The regions an allocator got from its memory source (arenas, chunks), sorted by start address, with one
 * word of bookkeeping each, so that any address maps to its region by binary search.
 *
 * <pre>
 *   index     0              1                    2
 *   start     0x5555...9000  0x5555...49000       0x7fff...b000
 *   length    0x40000        0x40000              0x100000
 *   word      (the owner's: bytes in use, flags...)
 * </pre>
 *
 * <p>This is the allocator's own small table of regions, the counterpart of a C allocator's static array
 * of arena descriptors; it grows by doubling, which happens only when a region is added, never on the
 * {@code malloc}/{@code free} fast path. Lookups cost {@code O(log regions)} and allocate nothing.
 *
 * <p>Regions never overlap. Not thread-safe.
 */
public final class RegionTable {

    private long[] starts = new long[8];
    private long[] lengths = new long[8];
    private long[] words = new long[8];
    private int size;

    /** {@return the number of regions} */
    public int size() {
        return size;
    }

    /** {@return the index of the region that holds {@code address}, or -1} */
    public int find(long address) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= address) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        // high is now the last region starting at or below address
        return high >= 0 && address - starts[high] < lengths[high] ? high : -1;
    }

    /**
     * Adds a region.
     *
     * @return its index
     * @throws IllegalStateException if it overlaps a region already in the table
     */
    public int insert(long start, long length, long word) {
        if (length <= 0) {
            throw new IllegalArgumentException("region length must be positive: " + length);
        }
        int at = 0;
        while (at < size && starts[at] < start) {
            at++;
        }
        if ((at > 0 && starts[at - 1] + lengths[at - 1] > start) || (at < size && start + length > starts[at])) {
            throw new IllegalStateException("region [0x%x, 0x%x) overlaps another".formatted(start, start + length));
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
            words = Arrays.copyOf(words, size * 2);
        }
        System.arraycopy(starts, at, starts, at + 1, size - at);
        System.arraycopy(lengths, at, lengths, at + 1, size - at);
        System.arraycopy(words, at, words, at + 1, size - at);
        starts[at] = start;
        lengths[at] = length;
        words[at] = word;
        size++;
        return at;
    }

    /** Removes the region at {@code index}; later regions move down by one index. */
    public void remove(int index) {
        System.arraycopy(starts, index + 1, starts, index, size - index - 1);
        System.arraycopy(lengths, index + 1, lengths, index, size - index - 1);
        System.arraycopy(words, index + 1, words, index, size - index - 1);
        size--;
    }

    public long start(int index) {
        return starts[index];
    }

    public long length(int index) {
        return lengths[index];
    }

    public long end(int index) {
        return starts[index] + lengths[index];
    }

    public long word(int index) {
        return words[index];
    }

    public void setWord(int index, long value) {
        words[index] = value;
    }

    public void addToWord(int index, long delta) {
        words[index] += delta;
    }

    /** Changes a region's length, for a region that shrank or grew in place; it must not overlap the next. */
    public void setLength(int index, long length) {
        if (length <= 0 || (index + 1 < size && starts[index] + length > starts[index + 1])) {
            throw new IllegalStateException("region 0x%x cannot take length %d".formatted(starts[index], length));
        }
        lengths[index] = length;
    }
}
