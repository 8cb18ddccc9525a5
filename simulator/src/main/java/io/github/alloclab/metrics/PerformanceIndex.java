package io.github.alloclab.metrics;

/**
 * The CS:APP malloc lab's performance index, which weighs space against time:
 * <pre>
 *  P = 100 * (w * U + (1 - w) * min(1, T / T_ref)),     w = 0.6
 * </pre>
 * with {@code U} the utilisation (peak payload over peak footprint), {@code T} the allocator's throughput in
 * operations per second, and {@code T_ref} the throughput of the system's own {@code malloc} on the same
 * trace, on the same machine, in the same run: here glibc's, replayed through FFM downcalls. Beating glibc's
 * speed earns nothing more; only utilisation can then raise the score.
 *
 * <p>Reference: Bryant and O'Hallaron, CS:APP 3rd ed., Malloc Lab handout, "Evaluation" (UTIL_WEIGHT = 0.6).
 */
public final class PerformanceIndex {

    /** The weight of utilisation, CS:APP's {@code UTIL_WEIGHT}. */
    public static final double UTILIZATION_WEIGHT = 0.6;

    private PerformanceIndex() {
    }

    /**
     * {@return {@code P}, in [0, 100], or {@code null} when either throughput is unknown (not timed, or the
     * reference could not run)}
     *
     * @param utilization             {@code U}, in [0, 1]
     * @param opsPerSecond            {@code T}
     * @param referenceOpsPerSecond   {@code T_ref}
     */
    public static Double of(double utilization, double opsPerSecond, double referenceOpsPerSecond) {
        if (!(opsPerSecond > 0) || !(referenceOpsPerSecond > 0)) {
            return null;
        }
        double time = Math.min(1, opsPerSecond / referenceOpsPerSecond);
        return 100 * (UTILIZATION_WEIGHT * utilization + (1 - UTILIZATION_WEIGHT) * time);
    }
}
