/**
 * Fragmentation and memory metrics of a replay, derived from a heap's {@code walk()} and its memory source
 * alone, so that every allocator is measured the same way without widening the allocator interface:
 * utilisation and Johnstone and Wilson's four measures over time ({@link
 * io.github.alloclab.metrics.FragmentationTracker}), the byte ladder, internal and external fragmentation and
 * the free-block histogram at one moment ({@link io.github.alloclab.metrics.HeapSnapshot}), resident pages
 * ({@link io.github.alloclab.metrics.TouchedPages}, {@link io.github.alloclab.metrics.PageAccounting}) and the
 * CS:APP performance index ({@link io.github.alloclab.metrics.PerformanceIndex}). The formulas and their
 * references are in {@code docs/fragmentation.md}.
 */
package io.github.alloclab.metrics;
