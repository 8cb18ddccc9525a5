package io.github.alloclab.metrics;

/**
 * The byte ladder of a heap at one moment, after jemalloc's statistics: each rung holds the one before it.
 *
 * <pre>
 *  requested  &lt;=  allocated  &lt;=  active  &lt;=  mapped        resident &lt;= mapped
 *  what the      after         whole pages     what the         pages backed by
 *  program       rounding to   holding an      kernel handed    physical memory
 *  asked for     block sizes   allocated block out (brk + mmap)
 * </pre>
 *
 * @param requested         payload bytes the program asked for, live now
 * @param allocated         usable bytes of the allocated blocks: the requests after rounding
 * @param active            bytes of the pages that hold at least one byte of an allocated block
 * @param mapped            bytes the memory source handed out, in whole pages: the heap rounded up to a page,
 *                          plus {@code mmap}ed bytes
 * @param resident          bytes of mapped pages that are resident (RSS); see {@code residentEstimated}
 * @param metadata          bytes the allocator keeps for itself: headers and footers of allocated blocks, and
 *                          blocks of its own (prologue, epilogue, bitmaps)
 * @param residentEstimated {@code true} when {@code resident} is the touched-page estimate of
 *                          {@link TouchedPages}; {@code false} when the memory source counts resident pages
 *                          itself ({@link PageAccounting})
 */
public record ByteLadder(long requested, long allocated, long active, long mapped, long resident, long metadata,
                         boolean residentEstimated) {

    /** The ladder of an empty heap. */
    public static final ByteLadder EMPTY = new ByteLadder(0, 0, 0, 0, 0, 0, true);
}
