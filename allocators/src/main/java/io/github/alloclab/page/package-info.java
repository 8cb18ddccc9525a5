/**
 * The page allocator: runs of whole pages from mmap'd chunks, the page layer of an operating system kernel
 * or of Netty's pooled buffers, and the backing of alloclab's slab and zone allocators.
 *
 * <p>{@link io.github.alloclab.page.PageAllocator} is the algorithm, both an
 * {@link io.github.alloclab.allocator.Allocator} for large requests and, through
 * {@link io.github.alloclab.page.PageRuns}, the internal API that object allocators build on;
 * {@link io.github.alloclab.page.PageLayout} draws the chunk header and page map;
 * {@link io.github.alloclab.page.FreeRunIndex} orders the free runs by size then address;
 * {@link io.github.alloclab.page.PageSettings} and {@link io.github.alloclab.page.PageStats} are its
 * tunables and counters.
 */
package io.github.alloclab.page;
