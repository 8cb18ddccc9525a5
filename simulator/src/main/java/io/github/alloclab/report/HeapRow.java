package io.github.alloclab.report;

import io.github.alloclab.trace.TraceOp;
import java.util.List;

/**
 * One row of a timeline: the heap right after one operation.
 *
 * @param number         the operation's position in the trace, from 1
 * @param op             the operation
 * @param address        the payload address it returned or released
 * @param hitStart       where the block holding {@code address} starts now, or -1 if no block holds it (a
 *                       freed mapping, say)
 * @param hitEnd         the first address past that block
 * @param liveBytes      payload bytes live after the operation, {@code L(t)}
 * @param footprintBytes the allocator's footprint after it, {@code M(t)}
 * @param runs           the heap's blocks as runs, in address order
 */
public record HeapRow(long number, TraceOp op, long address, long hitStart, long hitEnd, long liveBytes,
                      long footprintBytes, List<BlockRun> runs) {

    public HeapRow {
        runs = List.copyOf(runs);
    }

    /** {@return the call as C would write it, such as {@code malloc(24) = 0x5555555592a0} (id 7)} */
    public String call() {
        return switch (op.kind()) {
            case ALLOC -> "malloc(%d) = 0x%x (id %d)".formatted(op.byteSize(), address, op.id());
            case REALLOC -> "realloc(id %d, %d) = 0x%x".formatted(op.id(), op.byteSize(), address);
            case FREE -> "free(0x%x) (id %d)".formatted(address, op.id());
        };
    }
}
