/**
 * The allocator SPI: what every alloclab allocator offers, whatever its algorithm.
 *
 * <p>{@link io.github.alloclab.allocator.Allocator} has C's calls ({@code malloc}, {@code calloc},
 * {@code realloc}, {@code free}, {@code memalign}, {@code malloc_usable_size}) over simulated virtual
 * addresses, plus what a lab needs: {@link io.github.alloclab.allocator.HeapStats statistics}, a heap checker
 * that returns {@link io.github.alloclab.allocator.Violation violations}, and a walk over every
 * {@link io.github.alloclab.allocator.Block block}. Any allocator also serves Java code as a
 * {@link java.lang.foreign.SegmentAllocator} through
 * {@link io.github.alloclab.allocator.Allocator#asSegmentAllocator()}.
 */
package io.github.alloclab.allocator;
