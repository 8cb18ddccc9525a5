package io.github.alloclab.slab;

import io.github.alloclab.page.PageRuns;

/**
 * Where an object cache gets the memory of its slabs: runs of pages from a page allocator for the
 * {@code slab} allocator, as {@code kmem_getpages} takes them from {@code alloc_pages}, or blocks of a heap for
 * the bins of a general {@code malloc}.
 */
public interface SlabSource {

    /**
     * {@return the address, a multiple of {@code byteAlignment}, of {@code byteSize} bytes for a slab, or 0
     * when there is no more memory}
     */
    long allocateSlab(long byteSize, long byteAlignment);

    /** Gives back the slab memory at {@code address}, which {@link #allocateSlab} returned. */
    void freeSlab(long address);

    /**
     * Records {@code descriptor} as the owner of every page of the slab at {@code address}, so that
     * {@link #owner} finds an off-slab slab's descriptor from any of its objects; 0 clears it.
     *
     * @throws UnsupportedOperationException if this source keeps no owners (then caches must be on-slab)
     */
    void setOwner(long address, long byteSize, long descriptor);

    /** {@return the descriptor {@link #setOwner} recorded for the page holding {@code address}, or 0} */
    long owner(long address);

    /** {@return whether {@link #setOwner} is supported: whether off-slab caches can use this source} */
    boolean keepsOwners();

    /** {@return a source of page runs from {@code pages}, with each page's private word as its owner} */
    static SlabSource of(PageRuns pages) {
        return new SlabSource() {
            private final long pageSize = pages.pageSize();

            @Override
            public long allocateSlab(long byteSize, long byteAlignment) {
                return pages.allocateRun((byteSize + pageSize - 1) / pageSize, Math.max(byteAlignment, pageSize));
            }

            @Override
            public void freeSlab(long address) {
                pages.freeRun(address);
            }

            @Override
            public void setOwner(long address, long byteSize, long descriptor) {
                for (long page = address; page < address + byteSize; page += pageSize) {
                    pages.setPagePrivate(page, descriptor);
                }
            }

            @Override
            public long owner(long address) {
                return pages.pagePrivate(address);
            }

            @Override
            public boolean keepsOwners() {
                return true;
            }
        };
    }
}
