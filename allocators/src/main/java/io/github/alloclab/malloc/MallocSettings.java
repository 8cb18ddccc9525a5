package io.github.alloclab.malloc;

/**
 * Tunables of {@link MallocAllocator}, named after glibc's {@code mallopt} parameters where glibc has them.
 *
 * @param smallMax         requests of up to this many bytes go to the slab-backed bins: a size class from 16 to
 *                         1024. The default, 64, is where bins pay on the bundled traces: below it a heap block
 *                         of the segregated heap costs up to twice the request (8-byte header, 32-byte minimum),
 *                         above it the heap wastes only its header while every bin's partly filled slab costs a
 *                         page (measured with {@code alloclab replay -s smallMax=...}: 32, 48, 64, 128, 256 give a
 *                         mean utilisation of 89.7%, 89.1%, 90.2%, 89.1% and 87.3%)
 * @param mmapThreshold    requests of this many bytes or more get a mapping of their own ({@code M_MMAP_THRESHOLD}),
 *                         at least a page
 * @param mmapThresholdMax how high the dynamic threshold may go ({@code DEFAULT_MMAP_THRESHOLD_MAX}: 32 MiB on
 *                         64-bit), at least {@code mmapThreshold} and at most 32 MiB
 * @param dynamicThreshold whether freeing a mapping larger than the threshold raises the threshold to its size
 *                         and the trim threshold to twice that, as glibc does unless the thresholds were set
 * @param trimThreshold    a free block at the top of the heap this large or larger goes back with a negative
 *                         {@code sbrk} ({@code M_TRIM_THRESHOLD}); 0 never trims
 * @param growBytes        the least the heap grows by ({@code M_TOP_PAD} plus a page, roughly): a multiple of 16
 * @param maxEmptySlabs    empty slabs each bin keeps before giving the rest back to the heap, from 0 to 1024
 * @param magazineRounds   objects per magazine of the per-thread layer in front of the bins (glibc's tcache plays
 *                         this part, with 7), from 0 to 1024; 0 turns the layer off, and with it thread safety
 * @param tcacheCount      the most freed objects per bin that the thread cache in front of the magazines keeps for
 *                         the first thread to use the allocator, plus the one freed last (glibc's
 *                         {@code tcache_count}: 7), from 0 to 1024; 0 turns the cache off
 */
public record MallocSettings(long smallMax, long mmapThreshold, long mmapThresholdMax, boolean dynamicThreshold,
                             long trimThreshold, long growBytes, int maxEmptySlabs, int magazineRounds,
                             int tcacheCount) {

    /**
     * glibc's thresholds (128 KiB, dynamic up to 32 MiB), bins up to 64 bytes, one empty slab kept per bin, and
     * magazines of 16 rounds in front of the bins, and a thread cache of 7 in front of those.
     */
    public static final MallocSettings DEFAULTS = new MallocSettings(64, 128 * 1024, 32L << 20, true,
            128 * 1024, 4096, 1, 16, 7);

    public MallocSettings {
        if (smallMax < 16 || smallMax > 1024 || MallocSizeClasses.size(MallocSizeClasses.classOf(smallMax)) != smallMax) {
            throw new IllegalArgumentException("smallMax must be a size class from 16 to 1024 (16, 32, ... 512, 640,"
                    + " 768, 896, 1024): " + smallMax);
        }
        if (mmapThreshold < 4096 || mmapThreshold > MallocSizeClasses.MAX) {
            throw new IllegalArgumentException("mmapThreshold must be from 4K to 32M: " + mmapThreshold);
        }
        if (mmapThresholdMax < mmapThreshold || mmapThresholdMax > MallocSizeClasses.MAX) {
            throw new IllegalArgumentException("mmapThresholdMax must be from mmapThreshold to 32M: " + mmapThresholdMax);
        }
        if (trimThreshold < 0) {
            throw new IllegalArgumentException("trimThreshold must not be negative: " + trimThreshold);
        }
        if (growBytes < 16 || growBytes % 16 != 0) {
            throw new IllegalArgumentException("growBytes must be a positive multiple of 16: " + growBytes);
        }
        if (maxEmptySlabs < 0 || maxEmptySlabs > 1024) {
            throw new IllegalArgumentException("maxEmptySlabs must be from 0 to 1024: " + maxEmptySlabs);
        }
        if (magazineRounds < 0 || magazineRounds > 1024) {
            throw new IllegalArgumentException("magazineRounds must be from 0 to 1024: " + magazineRounds);
        }
        if (tcacheCount < 0 || tcacheCount > 1024) {
            throw new IllegalArgumentException("tcacheCount must be from 0 to 1024: " + tcacheCount);
        }
    }
}
