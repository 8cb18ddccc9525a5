package io.github.alloclab.report;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Which operations of a long trace a picture shows: evenly spaced ones, plus the few that must be there.
 *
 * <p>Operations are numbered from 1. With {@code ops <= count} every operation is chosen. Otherwise operation
 * {@code 1 + round(i (ops - 1) / (count - 1))} for {@code i = 0 .. count - 1}, which always includes the first and
 * the last, and then the {@code extra} ones (the operation at peak live memory, say), so a picture may have a
 * few more than {@code count} rows.
 */
public final class OpSampling {

    private OpSampling() {
    }

    /**
     * {@return the chosen operation numbers, ascending and distinct}
     *
     * @param ops   operations in the trace
     * @param count how many evenly spaced ones to choose, at least 2
     * @param extra operations to add in any case; those outside {@code [1, ops]} are ignored
     * @throws IllegalArgumentException if {@code count < 2} or {@code ops < 0}
     */
    public static long[] choose(long ops, int count, long... extra) {
        if (count < 2) {
            throw new IllegalArgumentException("at least 2 rows are needed, not " + count);
        }
        if (ops < 0) {
            throw new IllegalArgumentException("a trace has no negative number of operations: " + ops);
        }
        LongStream even = ops <= count
                ? LongStream.rangeClosed(1, ops)
                : LongStream.range(0, count).map(i -> 1 + Math.round((double) i * (ops - 1) / (count - 1)));
        LongStream wanted = Arrays.stream(extra).filter(op -> op >= 1 && op <= ops);
        return LongStream.concat(even, wanted).sorted().distinct().toArray();
    }

    /** {@return whether the chosen operations are every operation of the trace} */
    public static boolean isEvery(long[] chosen, long ops) {
        return chosen.length == ops;
    }
}
