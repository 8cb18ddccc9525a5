package io.github.alloclab.report;

/**
 * Live payload and footprint right after one operation: a point of the report's plots.
 *
 * @param number         the operation, from 1
 * @param liveBytes      {@code L(t)}, payload bytes the trace has live
 * @param footprintBytes {@code M(t)}, heap bytes ({@code brk - heapStart}) plus mapped bytes
 */
public record SeriesPoint(long number, long liveBytes, long footprintBytes) {

    /**
     * {@return {@code 1 - L(t) / M(t)}, the share of the footprint that holds no live payload}, or NaN when
     * the footprint is 0. It is Johnstone and Wilson's relative excess {@code f = M / L - 1} seen from the other
     * side, {@code f / (1 + f)}, and unlike {@code f} it stays between 0 and 1 when little is live.
     */
    public double waste() {
        return footprintBytes == 0 ? Double.NaN : 1 - (double) liveBytes / footprintBytes;
    }
}
