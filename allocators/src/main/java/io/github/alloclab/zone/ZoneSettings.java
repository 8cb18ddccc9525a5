package io.github.alloclab.zone;

/**
 * Tunables of {@link ZoneAllocator}.
 *
 * @param chunkBytes     the chunks the page allocator under the zones takes from the break, a power of two from
 *                       16 KiB to 1 GiB
 * @param maxChunkOrder  the largest zone chunk, {@code 2^maxChunkOrder} pages, from 0 to 6
 * @param kallocMaxBytes the maximum size of each kalloc zone, at least 64 KiB
 * @param tcacheCount    the most freed elements the thread cache keeps per kalloc zone up to 1 KiB, from 0 (no
 *                       cache) to 1024; glibc's {@code tcache_count} is 7
 */
public record ZoneSettings(long chunkBytes, int maxChunkOrder, long kallocMaxBytes, int tcacheCount) {

    /** 128 KiB page chunks, zone chunks of up to 16 pages, kalloc zones of up to 256 MiB each. */
    public static final ZoneSettings DEFAULTS = new ZoneSettings(128 * 1024, 4, 256L << 20, 7);

    public ZoneSettings {
        if (chunkBytes < 16 * 1024 || chunkBytes > 1L << 30 || Long.bitCount(chunkBytes) != 1) {
            throw new IllegalArgumentException("chunkBytes must be a power of two from 16K to 1G: " + chunkBytes);
        }
        if (maxChunkOrder < 0 || maxChunkOrder > 6) {
            throw new IllegalArgumentException("maxChunkOrder must be from 0 to 6: " + maxChunkOrder);
        }
        if (kallocMaxBytes < 64 * 1024) {
            throw new IllegalArgumentException("kallocMaxBytes must be at least 64K: " + kallocMaxBytes);
        }
        if (tcacheCount < 0 || tcacheCount > 1024) {
            throw new IllegalArgumentException("tcacheCount must be from 0 to 1024: " + tcacheCount);
        }
    }
}
