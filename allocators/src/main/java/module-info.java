/**
 * alloclab's allocators and the memory sources they draw from.
 *
 * <ul>
 *   <li>{@link io.github.alloclab.memory}: the "kernel" an allocator sees, {@code sbrk}/{@code brk} and
 *       {@code mmap}/{@code munmap} over off-heap memory, addressed by simulated virtual addresses;</li>
 *   <li>{@link io.github.alloclab.allocator}: the allocator SPI ({@code malloc}, {@code free}, the heap
 *       checker, the block walk, and the {@link java.lang.foreign.SegmentAllocator} view);</li>
 *   <li>{@link io.github.alloclab.registry}: every allocator by name, with typed settings;</li>
 *   <li>the allocator families, one package each.</li>
 * </ul>
 *
 * This module depends on nothing but the JDK.
 */
module io.github.alloclab.allocators {
    exports io.github.alloclab.memory;
    exports io.github.alloclab.allocator;
    exports io.github.alloclab.registry;
    exports io.github.alloclab.firstfit;
    exports io.github.alloclab.buddy;
    exports io.github.alloclab.page;
    exports io.github.alloclab.slab;
    exports io.github.alloclab.zone;
    exports io.github.alloclab.malloc;
}
