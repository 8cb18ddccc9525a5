package io.github.alloclab.page;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link PageAllocator} counts beyond {@link io.github.alloclab.allocator.HeapStats}.
 *
 * @param pageSize        bytes of a page
 * @param liveRuns        allocated runs
 * @param pagesInUse      pages in those runs
 * @param freePages       pages in free runs
 * @param freeRunsBySize  free runs by their size in pages: pages to count
 * @param metadataPages   pages of chunk headers and page maps
 * @param chunks          chunks mapped
 * @param hugeChunks      of which huge: mapped for one request bigger than a chunk
 */
public record PageStats(long pageSize, long liveRuns, long pagesInUse, long freePages,
                        SortedMap<Long, Long> freeRunsBySize, long metadataPages, long chunks, long hugeChunks) {

    public PageStats {
        freeRunsBySize = Collections.unmodifiableSortedMap(new TreeMap<>(freeRunsBySize));
    }

    /** {@return pages in use, free and metadata: every page mapped} */
    public long mappedPages() {
        return pagesInUse + freePages + metadataPages;
    }
}
