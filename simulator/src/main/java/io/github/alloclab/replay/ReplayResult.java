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
 * @param maxSearchSteps     the most blocks one allocation examined (0 if the allocator does not count)
 */
public record ReplayResult(String trace, String allocator, boolean valid, String error, long ops,
                           double opsPerSecond, long peakPayloadBytes, long peakFootprintBytes,
                           double utilization, double searchSteps, long maxSearchSteps) {
}
