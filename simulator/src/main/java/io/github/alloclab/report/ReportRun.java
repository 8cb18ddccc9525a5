package io.github.alloclab.report;

import io.github.alloclab.replay.ReplayResult;
import java.util.List;

/**
 * One allocator's replay of one trace, as a report shows it.
 *
 * @param allocator the allocator's registry name
 * @param result    the replay's measures (untimed: a report is about memory)
 * @param rows      the timeline's rows, one per sampled operation
 * @param points    the plots' points
 */
public record ReportRun(String allocator, ReplayResult result, List<HeapRow> rows, List<SeriesPoint> points) {

    public ReportRun {
        rows = List.copyOf(rows);
        points = List.copyOf(points);
    }
}
