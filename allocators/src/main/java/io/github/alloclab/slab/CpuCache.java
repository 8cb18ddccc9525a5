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
}
