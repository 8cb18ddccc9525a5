/**
 * The first-fit family: an explicit free list of variable-sized blocks with boundary tags, the design of
 * CS:APP chapter 9.9 and of OSTEP chapter 17, and the ancestor of dlmalloc and glibc's ptmalloc.
 *
 * <p>{@link io.github.alloclab.firstfit.FirstFitAllocator} is the algorithm;
 * {@link io.github.alloclab.firstfit.FirstFitLayout} describes the bits of its headers and where its links
 * live; {@link io.github.alloclab.firstfit.FirstFitSettings} are its tunables.
 */
package io.github.alloclab.firstfit;
