package io.github.alloclab.firstfit;

/**
 * Tunables of {@link FirstFitAllocator}.
 *
 * @param chunkBytes     the least the heap grows by when no free block fits (CS:APP's {@code CHUNKSIZE});
 *                       a multiple of 16
 * @param trimThreshold  when the free block at the top of the heap reaches this size, it is given back with a
 *                       negative {@code sbrk} (glibc's {@code M_TRIM_THRESHOLD}); 0 disables trimming
 */
public record FirstFitSettings(long chunkBytes, long trimThreshold) {

    /** Grow by at least 4 KiB; trim a free top of 128 KiB or more, as glibc does by default. */
    public static final FirstFitSettings DEFAULTS = new FirstFitSettings(4096, 128 * 1024);

    public FirstFitSettings {
        if (chunkBytes < FirstFitLayout.MIN_BLOCK || chunkBytes % FirstFitLayout.ALIGNMENT != 0) {
            throw new IllegalArgumentException("chunkBytes must be a multiple of 16, at least 32: " + chunkBytes);
        }
        if (trimThreshold < 0) {
            throw new IllegalArgumentException("trimThreshold must not be negative: " + trimThreshold);
        }
    }
}
