package io.github.alloclab.report;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.replay.ReplayObserver;
import io.github.alloclab.trace.TraceOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Watches a replay and keeps what a report draws: a {@link HeapRow} after each chosen row operation (a walk of
 * the heap) and a {@link SeriesPoint} after each chosen plot operation (two counters). Every other operation
 * costs two comparisons.
 */
public final class HeapRecorder implements ReplayObserver {

    /**
     * Runs per row at most, about: the row's footprint over this is the {@link RunBuilder} granularity. About
     * the pixels of a panel when four allocators share a page; finer runs could not be seen or pointed at.
     */
    static final int RESOLUTION = 240;

    private final long[] rowOps;
    private final long[] pointOps;
    private final List<HeapRow> rows = new ArrayList<>();
    private final List<SeriesPoint> points = new ArrayList<>();
    private int nextRow;
    private int nextPoint;

    /**
     * @param rowOps   the operations to draw a row after, ascending
     * @param pointOps the operations to take a plot point after, ascending
     */
    public HeapRecorder(long[] rowOps, long[] pointOps) {
        this.rowOps = rowOps.clone();
        this.pointOps = pointOps.clone();
    }

    @Override
    public void afterOperation(long number, TraceOp op, long address, Allocator allocator, long liveBytes) {
        boolean row = nextRow < rowOps.length && rowOps[nextRow] == number;
        boolean point = nextPoint < pointOps.length && pointOps[nextPoint] == number;
        if (!row && !point) {
            return;
        }
        long footprint = allocator.memory().footprintBytes();
        if (point) {
            points.add(new SeriesPoint(number, liveBytes, footprint));
            nextPoint++;
        }
        if (row) {
            rows.add(row(number, op, address, allocator, liveBytes, footprint));
            nextRow++;
        }
    }

    /** {@return the rows recorded, in operation order} */
    public List<HeapRow> rows() {
        return List.copyOf(rows);
    }

    /** {@return the plot points recorded, in operation order} */
    public List<SeriesPoint> points() {
        return List.copyOf(points);
    }

    private static HeapRow row(long number, TraceOp op, long address, Allocator allocator, long liveBytes,
                               long footprint) {
        List<Block> blocks = new ArrayList<>();
        allocator.walk(blocks::add);
        // walk() orders blocks within a region; regions (the heap, each mapping) may come in any order
        blocks.sort(Comparator.comparingLong(Block::address));
        RunBuilder runs = new RunBuilder(Math.max(1, footprint / RESOLUTION));
        long hitStart = -1;
        long hitEnd = -1;
        for (Block block : blocks) {
            runs.add(block);
            if (address >= block.address() && address < block.end() && hitStart < 0) {
                hitStart = block.address();
                hitEnd = block.end();
            }
        }
        return new HeapRow(number, op, address, hitStart, hitEnd, liveBytes, footprint, runs.runs());
    }
}
