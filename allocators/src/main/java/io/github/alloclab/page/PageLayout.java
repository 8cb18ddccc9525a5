package io.github.alloclab.page;

import io.github.alloclab.internal.Scramble;

/**
 * Where the page allocator keeps its metadata: a header and a page map at the start of every chunk, out of
 * band, so that free pages are never written (as the kernel keeps {@code struct page} apart from the pages).
 *
 * <pre>
 *  chunk                                                                                 chunk + C pages
 *  | header | page map: one entry per data page        | pad |  data page 0 | data page 1 | ... | data D-1 |
 *  +------------- M metadata pages ---------------------------+------------- D = C - M data pages ---------+
 *
 *  chunk header (64 bytes)
 *  +0   canary: a scramble of the chunk's address
 *  +8   C, the chunk's pages, metadata included
 *  +16  M, its metadata pages
 *  +24  flags: bit 0 = huge (mapped for one big request; unmapped as soon as it is empty)
 *
 *  page map entry (32 bytes) of data page i, at chunk + 64 + 32·i
 *  +0   tag, on the first and the last page of every run; 0 on the pages between
 *  +8   free run, first page: left child in the free-run index.   allocated run, any page: the page's
 *       private word, for the allocator that owns the run (a slab's descriptor, say)
 *  +16  free run, first page: right child in the free-run index
 *  +24  free run, first page: the run's address
 *
 *  tag
 *  63                                          4    3      2     1  0
 *  +--------------------------------------------+-------+------+-----+
 *  |            pages in the run                | first | last |state|    state 01 free, 10 allocated
 *  +--------------------------------------------+-------+------+-----+
 * </pre>
 *
 * The first and last tags are boundary tags, as in a first-fit heap, but kept in the map: a freed run finds
 * its left neighbour through the last tag of the entry below its own and its right neighbour through the
 * first tag of the entry past its end. A one-page run has one tag with both bits set.
 *
 * <p>M is the least number of pages that hold the header and the entries of the pages left:
 * {@code 64 + 32·(C - M) <= M·P}, that is {@code M = ceil((64 + 32·C) / (P + 32))}. For 1 MiB chunks of
 * 4 KiB pages, M = 2 and D = 254: 0.8% of a chunk.
 */
public final class PageLayout {

    public static final long HEADER = 64;
    public static final long CANARY = 0;
    public static final long PAGES = 8;
    public static final long META_PAGES = 16;
    public static final long FLAGS = 24;
    public static final long FLAG_HUGE = 1;

    public static final long ENTRY = 32;
    public static final long TAG = 0;
    public static final long LEFT = 8;
    public static final long PRIVATE = 8;
    public static final long RIGHT = 16;
    public static final long RUN = 24;

    public static final long FREE = 1;
    public static final long ALLOCATED = 2;
    public static final long LAST = 4;
    public static final long FIRST = 8;
    private static final long STATE_MASK = 3;
    private static final int PAGES_SHIFT = 4;

    private PageLayout() {
    }

    /** {@return a tag for a run of {@code pages} in {@code state}, with the {@link #FIRST}/{@link #LAST} bits given} */
    public static long tag(long pages, long ends, long state) {
        return pages << PAGES_SHIFT | ends | state;
    }

    public static long pages(long tag) {
        return tag >>> PAGES_SHIFT;
    }

    public static long state(long tag) {
        return tag & STATE_MASK;
    }

    public static boolean isFirst(long tag) {
        return (tag & FIRST) != 0;
    }

    public static boolean isLast(long tag) {
        return (tag & LAST) != 0;
    }

    /** {@return M, the metadata pages of a chunk of {@code chunkPages} pages of {@code pageSize} bytes} */
    public static long metadataPages(long chunkPages, long pageSize) {
        return (HEADER + ENTRY * chunkPages + pageSize + ENTRY - 1) / (pageSize + ENTRY);
    }

    /** {@return the data pages of a chunk of {@code chunkPages} pages} */
    public static long dataPages(long chunkPages, long pageSize) {
        return chunkPages - metadataPages(chunkPages, pageSize);
    }

    /** {@return the fewest pages a chunk needs to hold a run of {@code pages}} */
    public static long chunkPagesFor(long pages, long pageSize) {
        // C = pages + M(C) by fixed-point iteration: M grows by one page per ~P/32 pages, so this settles fast.
        long c = pages + metadataPages(pages, pageSize);
        for (long next = pages + metadataPages(c, pageSize); next != c; next = pages + metadataPages(c, pageSize)) {
            c = next;
        }
        while (dataPages(c, pageSize) < pages) {
            c++;
        }
        return c;
    }

    /** {@return the address of the page map entry of data page {@code index} of {@code chunk}} */
    public static long entry(long chunk, long index) {
        return chunk + HEADER + index * ENTRY;
    }

    /** The chunk canary, and the priority of a free run in the index. */
    static long scramble(long x) {
        return Scramble.splitMix64(x);
    }
}
