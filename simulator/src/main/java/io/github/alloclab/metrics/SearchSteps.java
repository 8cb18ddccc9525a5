package io.github.alloclab.metrics;

/**
 * How hard allocations searched the allocator's free structures ("searched N elements", as OSTEP's
 * {@code malloc.py} prints it).
 *
 * @param mean         blocks examined per allocation, over every allocation of the trace
 * @param max          the most blocks one allocation examined, among the sampled ones
 * @param sampledEvery 1 when every allocation was sampled for {@code max}; {@code k} when only every
 *                     {@code k}-th was (reading the counters of one allocation costs a walk of the heap,
 *                     so long traces with many live blocks are sampled)
 */
public record SearchSteps(double mean, long max, long sampledEvery) {

    /** No allocation searched. */
    public static final SearchSteps NONE = new SearchSteps(0, 0, 1);
}
