package io.github.alloclab.slab;

/**
 * One thread's two magazines, Bonwick's per-CPU cache ({@code cpu_cache}): the loaded magazine and the previous
 * one, with their round counts.
 *
 * <p>{@link Magazines} is itself the CPU cache of the first thread to use it, so that thread's fast path reaches
 * its rounds without loading one more object; other threads' caches are instances of this class.
 */
class CpuCache {
    long loaded;
    long previous;
    int rounds;
    int prounds;
    /** Fills the last hole of this class's layout, so that no field of a subclass lands among these. */
    int unused;
}

/**
 * 128 bytes (two cache lines, as the adjacent-line prefetcher fetches pairs) between the first thread's CPU
 * cache, written on every {@code malloc} and {@code free}, and the fields of {@link Magazines} that every
 * thread reads on every call. Without it they shared a line, and a second thread's every call waited for the line
 * to come back from the first thread's core. In {@code SharedHeapBenchmark}, two threads took 91 and 95 ns per
 * pair on slab without the padding and 21 to 73 ns with it (single forks), against 19 ns for one thread.
 * Superclass fields come first in HotSpot's layout, so this sits between.
 */
abstract class CpuCachePadding extends CpuCache {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
