package io.github.alloclab.replay;

import io.github.alloclab.metrics.ByteLadder;
import io.github.alloclab.metrics.Fragmentation;
import io.github.alloclab.metrics.SearchSteps;

/**
 * What a replay of one trace on one allocator found. {@code docs/fragmentation.md} defines every measure.
 *
 * @param trace                 the trace's file name
 * @param allocator             the allocator's registry name
 * @param valid                 whether every check passed
 * @param error                 the first failure, naming the trace line, or {@code null} when valid; see
 *                              {@link #outOfMemory()}
 * @param ops                   operations in the trace
 * @param opsPerSecond          throughput of the fastest timed run, without checks; 0 when not timed or invalid
 * @param peakPayloadBytes      the most payload bytes live at once
 * @param peakFootprintBytes    the high-water mark of heap bytes ({@code brk - heapStart}) plus mapped bytes
 * @param utilization           {@code peakPayloadBytes / peakFootprintBytes}, CS:APP's utilisation, in [0, 1]
 * @param referenceOpsPerSecond glibc's {@code malloc} on the same trace, in the same run ({@code T_ref}); 0 when
 *                              not timed
 * @param performanceIndex      CS:APP's {@code P = 100 (0.6 U + 0.4 min(1, T / T_ref))}, or {@code null} when
 *                              not timed
 * @param fragmentation         Johnstone and Wilson's four measures, internal and external fragmentation, the
 *                              free blocks
 * @param bytes                 the byte ladder at the point of peak live memory
 * @param searchSteps           free blocks examined per allocation, mean and maximum
 * @param pageFaults            page faults during the checked replay (the touched-page estimate unless the
 *                              memory source counts them; see {@code bytes.residentEstimated})
 * @param leakedBlocks          blocks live at the end of the trace
 * @param leakedBytes           their payload bytes
 * @param traceWarnings         calls the trace reader skipped, as glibc's {@code mtrace} script does (a free of
 *                              an address never allocated, ...)
 */
public record ReplayResult(String trace, String allocator, boolean valid, String error, long ops,
                           double opsPerSecond, long peakPayloadBytes, long peakFootprintBytes,
                           double utilization, double referenceOpsPerSecond, Double performanceIndex,
                           Fragmentation fragmentation, ByteLadder bytes, SearchSteps searchSteps,
                           long pageFaults, long leakedBlocks, long leakedBytes, long traceWarnings) {

    /**
     * How {@link #error} begins when a {@code malloc}, {@code calloc} or {@code realloc} of the trace returned
     * {@code NULL} because the memory source reached its limit: {@code out of memory at line 5: malloc(4096) of
     * id 0 returned NULL}.
     */
    public static final String OUT_OF_MEMORY_AT_LINE = "out of memory at line ";

    /** {@return whether the replay stopped because the allocator ran out of memory (it returned {@code NULL})} */
    public boolean outOfMemory() {
        return error != null && error.startsWith(OUT_OF_MEMORY_AT_LINE);
    }
}
