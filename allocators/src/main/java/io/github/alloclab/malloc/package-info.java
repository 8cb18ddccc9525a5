/**
 * The lab's production-grade {@code malloc}: small requests in slab-backed bins, medium ones in a segregated
 * best-fit heap, large ones in mappings of their own with glibc's dynamic threshold, the top of the heap
 * trimmed, and the whole byte ladder in its statistics.
 */
package io.github.alloclab.malloc;
