package io.github.alloclab.replay;

/**
 * What a replay of one trace on one allocator found.
 *
 * @param trace              the trace's file name
 * @param allocator          the allocator's registry name
 * @param valid              whether every check passed
 * @param error              the first failure, naming the trace line, or {@code null} when valid
 * @param ops                operations in the trace
 * @param opsPerSecond       throughput of the fastest timed run, without checks; 0 when not timed or invalid
 * @param peakPayloadBytes   the most payload bytes live at once
 * @param peakFootprintBytes the high-water mark of heap bytes ({@code brk - heapStart}) plus mapped bytes
 * @param utilization        {@code peakPayloadBytes / peakFootprintBytes}, CS:APP's utilisation, in [0, 1]
 * @param searchSteps        free blocks examined per allocation, on average ("searched N elements")
 * @param peakRssBytes       the most bytes resident at once, over the simulated memory source; -1 over the flat
 *                           source, which does not count pages
 * @param minorFaults        page faults (first touches of a page) over the simulated source; -1 over the flat one
 */
public record ReplayResult(String trace, String allocator, boolean valid, String error, long ops,
                           double opsPerSecond, long peakPayloadBytes, long peakFootprintBytes,
                           double utilization, double searchSteps, long peakRssBytes, long minorFaults) {

    /** {@return whether the replay ran over the simulated source, so that RSS and faults were counted} */
    public boolean paged() {
        return peakRssBytes >= 0;
    }
}
