package io.github.alloclab.page;

import io.github.alloclab.memory.MemorySource;

/**
 * Runs of whole pages: what a slab or zone allocator builds on, as the kernel's slab allocators build on
 * {@code alloc_pages}/{@code free_pages}.
 *
 * {@snippet :
 * PageRuns pages = new PageAllocator("page", memory, PageSettings.DEFAULTS);
 * long slab = pages.allocateRun(2, 8192);      // two pages, 8 KiB-aligned
 * pages.setPagePrivate(slab, descriptor);      // like page->slab_cache: found again from any object
 * pages.setPagePrivate(slab + 4096, descriptor);
 * long owner = pages.pagePrivate(object);      // object anywhere in those two pages
 * pages.freeRun(slab);
 * }
 *
 * Runs are page-aligned and read as zero only when fresh from the system: a run handed out again holds what
 * its last owner left.
 */
public interface PageRuns {

    /** {@return the memory the runs are in} */
    MemorySource memory();

    /** {@return the bytes of a page} */
    long pageSize();

    /**
     * {@return the address of a run of {@code pages} contiguous pages, or 0 when the system has no more
     * memory}
     *
     * @throws IllegalArgumentException if {@code pages <= 0}
     */
    long allocateRun(long pages);

    /**
     * {@return the address, a multiple of {@code byteAlignment}, of a run of {@code pages} pages, or 0}
     *
     * @throws IllegalArgumentException if {@code pages <= 0} or {@code byteAlignment} is not a power of two
     */
    long allocateRun(long pages, long byteAlignment);

    /**
     * Frees the run that starts at {@code address}.
     *
     * @throws io.github.alloclab.allocator.HeapCorruptionException if no allocated run starts there
     */
    void freeRun(long address);

    /**
     * {@return the pages of the allocated run that starts at {@code address}}
     *
     * @throws io.github.alloclab.allocator.HeapCorruptionException if no allocated run starts there
     */
    long runPages(long address);

    /**
     * {@return the private word of the page that holds {@code address}}, which must lie in an allocated run:
     * 0 until {@link #setPagePrivate} sets it, and 0 again once the run is freed.
     *
     * @throws io.github.alloclab.allocator.HeapCorruptionException if {@code address} is in no chunk's pages
     */
    long pagePrivate(long address);

    /**
     * Sets the private word of the page that holds {@code address}, which must lie in an allocated run.
     *
     * @throws io.github.alloclab.allocator.HeapCorruptionException if {@code address} is in no chunk's pages
     *                                                               or in the first page of a free run
     */
    void setPagePrivate(long address, long value);
}
