package io.github.alloclab.page;

/**
 * Tunables of {@link PageAllocator}.
 *
 * @param chunkBytes        the size of a chunk mapped for runs, a power of two from 16 KiB to 1 GiB; when the
 *                          mmap area cannot fit one, half is tried, then a quarter, down to what the request
 *                          needs. A request bigger than a chunk's data pages gets a huge chunk of its own.
 * @param unmapEmptyChunks  whether a chunk goes back with {@code munmap} as soon as none of its pages is in
 *                          use; huge chunks always do
 */
public record PageSettings(long chunkBytes, boolean unmapEmptyChunks) {

    /** 1 MiB chunks (254 data pages of 4 KiB), unmapped when empty. */
    public static final PageSettings DEFAULTS = new PageSettings(1 << 20, true);

    public PageSettings {
        if (chunkBytes < 16 * 1024 || chunkBytes > 1L << 30 || Long.bitCount(chunkBytes) != 1) {
            throw new IllegalArgumentException("chunkBytes must be a power of two from 16K to 1G: " + chunkBytes);
        }
    }
}
