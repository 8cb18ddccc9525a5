/**
 * The slab allocator: Bonwick's object caches over the page allocator, and {@code kmalloc} over caches of
 * fixed sizes.
 *
 * <p>{@link io.github.alloclab.slab.SlabCache} is one cache: slabs on full, partial and empty lists, a free
 * list inside each slab, colouring, reaping. {@link io.github.alloclab.slab.SlabAllocator} owns the caches,
 * serves {@code malloc} from the kmalloc caches and runs of pages, and finds any object's slab from its
 * address. The same caches back the small bins of the composite {@code malloc}.
 */
package io.github.alloclab.slab;
