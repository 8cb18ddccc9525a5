package io.github.alloclab.metrics;

/**
 * Follows live payload and allocator footprint through a replay and derives CS:APP's utilisation and
 * Johnstone and Wilson's four fragmentation measures from them.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li>{@code t}: a point in time, the moment after trace operation {@code t} (1-based) completes.</li>
 *   <li>{@code L(t)}: live payload, the bytes the program asked for and has not freed.</li>
 *   <li>{@code M(t)}: memory used by the allocator, its footprint: heap bytes ({@code brk - heapStart}) plus
 *       {@code mmap}ed bytes.</li>
 *   <li>{@code M*}: the footprint's high-water mark, as the memory source keeps it. It can lie inside an
 *       operation (a {@code realloc} that allocates before it frees), so {@code M* >= max M(t)}.</li>
 *   <li>{@code tL}: the first {@code t} with {@code L(t) = max L}; {@code tM}: the first {@code t} after which
 *       the high-water mark equals {@code M*}.</li>
 * </ul>
 *
 * <h2>Formulas</h2> (each is "relative excess": 0 means no fragmentation, 1.0 means twice the memory)
 * <pre>
 *  utilization = max L / M*                                  CS:APP 9.9.3 (peak utilisation U_k)
 *  jw1 = sum_t M(t) / sum_t L(t) - 1                         #1, averaged over all points in time
 *  jw2 = M(tL) / L(tL) - 1                                   #2, at the point of peak live memory
 *  jw3 = M* / L(tM) - 1                                      #3, at the point of peak memory usage
 *  jw4 = M* / max L - 1        (= 1 / utilization - 1)       #4, both maxima
 * </pre>
 * {@code jw1} is the time average of the ratio weighted by live memory: {@code sum_t M(t) / sum_t L(t)}
 * rather than {@code mean_t(M(t) / L(t))}, which the first few operations (16 live bytes in a 4 KiB heap)
 * would dominate. Since {@code L(tM) <= max L} and {@code M(tL) <= M*}: {@code jw2 <= jw4 <= jw3}. A
 * measure whose denominator is 0 is undefined ({@code null}). {@code docs/fragmentation.md} derives each one.
 *
 * <p>Reference: Mark S. Johnstone and Paul R. Wilson, "The Memory Fragmentation Problem: Solved?",
 * ISMM '98, pp. 26-36, section 3.3; Bryant and O'Hallaron, CS:APP 3rd ed., 9.9.3.
 *
 * <p>O(1) per operation and no allocation: a replay calls {@link #record} after every operation.
 */
public final class FragmentationTracker {

    private double sumLive;
    private double sumFootprint;
    private long points;
    private long peakLive;
    private long footprintAtPeakLive;
    private long highWater;
    private long liveAtHighWater;
    private boolean highWaterSeen;

    /**
     * Starts with the footprint an allocator has before any operation (its prologue, say): that much is not
     * a peak that any operation reached.
     */
    public FragmentationTracker(long initialHighWater) {
        this.highWater = initialHighWater;
    }

    /**
     * Records the point in time after one operation.
     *
     * @param live      {@code L(t)}, live payload bytes
     * @param footprint {@code M(t)}, the allocator's footprint now
     * @param highWater the footprint's high-water mark so far
     */
    public void record(long live, long footprint, long highWater) {
        points++;
        sumLive += live;
        sumFootprint += footprint;
        if (live > peakLive) {
            peakLive = live;
            footprintAtPeakLive = footprint;
        }
        if (highWater > this.highWater) {
            this.highWater = highWater;
            liveAtHighWater = live;
            highWaterSeen = true;
        }
    }

    /** {@return the measures of the points recorded so far} */
    public Measures measures() {
        return new Measures(peakLive, highWater,
                highWater == 0 ? 0 : (double) peakLive / highWater,
                sumLive == 0 ? null : sumFootprint / sumLive - 1,
                peakLive == 0 ? null : (double) footprintAtPeakLive / peakLive - 1,
                !highWaterSeen || liveAtHighWater == 0 ? null : (double) highWater / liveAtHighWater - 1,
                peakLive == 0 ? null : (double) highWater / peakLive - 1);
    }

    /**
     * Utilisation and the four Johnstone-Wilson measures.
     *
     * @param peakLiveBytes      {@code max L}
     * @param peakFootprintBytes {@code M*}
     * @param utilization        {@code max L / M*}, in [0, 1] for a correct allocator
     * @param jw1                {@code sum M / sum L - 1}, or {@code null} if nothing was ever live
     * @param jw2                {@code M(tL) / max L - 1}, or {@code null} if nothing was ever live
     * @param jw3                {@code M* / L(tM) - 1}, or {@code null} if the peak footprint came with nothing
     *                           live, or before the first operation
     * @param jw4                {@code M* / max L - 1}, or {@code null} if nothing was ever live
     */
    public record Measures(long peakLiveBytes, long peakFootprintBytes, double utilization,
                           Double jw1, Double jw2, Double jw3, Double jw4) {
    }
}
