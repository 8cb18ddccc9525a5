/**
 * The first-fit family: variable-sized blocks with boundary tags on a {@code brk} heap, the design of CS:APP
 * 9.9 and OSTEP chapter 17, and the ancestor of dlmalloc and glibc's ptmalloc. Every member, from the
 * implicit list to segregated fits, is one {@link io.github.alloclab.firstfit.FirstFitSettings} of one
 * implementation.
 *
 * <ul>
 *   <li>{@link io.github.alloclab.firstfit.FirstFitAllocator}: malloc, free, realloc, memalign, growth, trim
 *       and coalescing: the algorithm;</li>
 *   <li>{@link io.github.alloclab.firstfit.FirstFitLayout}: the bits of a tag and where a block keeps them;</li>
 *   <li>{@code FreeLists}: the explicit and segregated lists, their orders and their fit searches;</li>
 *   <li>{@link io.github.alloclab.firstfit.SizeClasses}: the classes of segregated fits;</li>
 *   <li>{@code MappedBlocks}: requests above the mmap threshold, one mapping each;</li>
 *   <li>{@link io.github.alloclab.firstfit.Guards}: checked mode's red zones, poison and tombstones;</li>
 *   <li>{@code FirstFitChecker}: the heap checker;</li>
 *   <li>{@link io.github.alloclab.firstfit.FreeIndex}, {@link io.github.alloclab.firstfit.Fit},
 *       {@link io.github.alloclab.firstfit.ListOrder}, {@link io.github.alloclab.firstfit.Coalescing}: the
 *       choices.</li>
 * </ul>
 *
 * The lesson is {@code docs/free-lists.md}.
 */
package io.github.alloclab.firstfit;
