/**
 * The zone allocator of Mach ({@code zinit}, {@code zalloc}, {@code zfree}) and FreeBSD's UMA: named
 * collections of elements of one size, each with a LIFO free list, grown by whole chunks of pages up to an
 * enforced maximum, and {@code kalloc} as a zone per size class.
 */
package io.github.alloclab.zone;
