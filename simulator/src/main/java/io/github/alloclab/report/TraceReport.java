package io.github.alloclab.report;

import java.util.List;

/**
 * One trace of a report: its size, how its rows were sampled, and every allocator's replay of it.
 *
 * @param name       the trace's file name
 * @param ops        operations in the trace
 * @param peakLiveOp the operation after which live payload peaks, 0 if nothing is ever live
 * @param rowOps     the operations the timelines show
 * @param runs       one per allocator, in the order they were asked for
 */
public record TraceReport(String name, long ops, long peakLiveOp, long[] rowOps, List<ReportRun> runs) {

    public TraceReport {
        rowOps = rowOps.clone();
        runs = List.copyOf(runs);
    }

    /** {@return whether the timelines show every operation} */
    public boolean everyOp() {
        return OpSampling.isEvery(rowOps, ops);
    }
}
