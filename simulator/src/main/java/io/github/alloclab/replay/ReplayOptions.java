package io.github.alloclab.replay;

/**
 * How a replay runs.
 *
 * @param timed          whether to time the trace, after the checked run, on fresh allocators and without checks
 * @param minTimedRuns   the least number of timed runs; the fastest counts
 * @param maxTimedRuns   the most timed runs
 * @param minTimedNanos  timed runs go on, up to {@code maxTimedRuns}, until they add up to this much time
 * @param checkEveryOp   whether to run the allocator's heap checker after every operation (slow: O(blocks)
 *                       per operation) rather than once at the end
 * @param reference      whether timed replays also time glibc's {@code malloc} on the same trace, through FFM,
 *                       for the performance index's {@code T_ref} (once per trace)
 */
public record ReplayOptions(boolean timed, int minTimedRuns, int maxTimedRuns, long minTimedNanos,
                            boolean checkEveryOp, boolean reference) {

    /**
     * Timed: runs go on until they add up to 100 ms (at least 5, at most 500), so that the JIT has compiled the
     * allocator before the fastest run is taken; the heap checker runs once, at the end; glibc's reference is
     * timed the same way.
     */
    public static final ReplayOptions DEFAULTS = new ReplayOptions(true, 5, 500, 100_000_000L, false, true);

    /** Checks only, no timing. */
    public static final ReplayOptions UNTIMED = new ReplayOptions(false, 0, 0, 0, false, false);

    /** Options with the glibc reference timed whenever the replay is. */
    public ReplayOptions(boolean timed, int minTimedRuns, int maxTimedRuns, long minTimedNanos, boolean checkEveryOp) {
        this(timed, minTimedRuns, maxTimedRuns, minTimedNanos, checkEveryOp, timed);
    }

    public ReplayOptions withCheckEveryOp(boolean check) {
        return new ReplayOptions(timed, minTimedRuns, maxTimedRuns, minTimedNanos, check, reference);
    }

    public ReplayOptions withReference(boolean timeReference) {
        return new ReplayOptions(timed, minTimedRuns, maxTimedRuns, minTimedNanos, checkEveryOp, timeReference);
    }
}
