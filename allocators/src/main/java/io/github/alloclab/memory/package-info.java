/**
 * Memory sources: the system-call seam between an allocator and the memory it manages.
 *
 * <p>An allocator asks for memory the way a C allocator asks a kernel: {@code sbrk}/{@code brk} move the
 * break of one contiguous heap, and {@code mmap}/{@code munmap} create and remove page-aligned anonymous
 * mappings. Both speak in <em>virtual addresses</em> ({@code long}) of a simulated process, such as a heap
 * that starts at {@code 0x555555559000}, so that everything an allocator stores (headers, free-list links)
 * and everything a picture shows looks like the real thing. Loads and stores go through the source too,
 * which is what lets one allocator run over a flat, fast source and over a simulated, page-accounting one.
 */
package io.github.alloclab.memory;
