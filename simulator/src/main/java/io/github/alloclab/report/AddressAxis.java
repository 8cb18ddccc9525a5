package io.github.alloclab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The horizontal scale of a timeline: addresses to x, with the empty space between distant regions cut out.
 *
 * <p>A heap at {@code 0x555555559000} and a mapping at {@code 0x7ffff7fb0000} are 40 TiB apart; drawn to one
 * scale, both would be invisible. As villoc does, the axis keeps only the address ranges that ever hold a
 * block. Ranges closer than {@value #JOIN_FRACTION} of the bytes shown merge into one region, drawn to scale
 * with its holes; farther ones are separate regions with a fixed {@code breakWidth} between them. With more
 * than {@value #MAX_REGIONS} regions, the closest neighbours merge until that many are left.
 *
 * <p>Each region gets a width proportional to its bytes, but at least {@code minWidth}, so that a small
 * mapping next to a large heap stays visible:
 * <pre>
 *   width(r) = minWidth + (total - n breakWidth - n minWidth) * bytes(r) / sum bytes
 *   x(a)     = x(r) + (a - start(r)) width(r) / bytes(r)          for the region r holding a
 * </pre>
 *
 * @param regions the regions, left to right
 * @param width   the axis width, in drawing units
 */
public record AddressAxis(List<Region> regions, double width) {

    static final double JOIN_FRACTION = 0.05;
    static final int MAX_REGIONS = 12;

    /**
     * One drawn address range.
     *
     * @param start the first address
     * @param end   the first address past it
     * @param x     where it starts on the axis
     * @param width how wide it is drawn
     */
    public record Region(long start, long end, double x, double width) {
        long byteSize() {
            return end - start;
        }
    }

    public AddressAxis {
        regions = List.copyOf(regions);
    }

    /**
     * {@return an axis that shows every range in {@code ranges}}
     *
     * @param ranges     {@code [start, end)} address pairs, in any order
     * @param width      the axis width, in drawing units
     * @param breakWidth the space drawn between two regions
     * @param minWidth   the narrowest a region is drawn
     */
    public static AddressAxis of(List<long[]> ranges, double width, double breakWidth, double minWidth) {
        List<long[]> sorted = new ArrayList<>(ranges.stream().filter(r -> r[1] > r[0]).toList());
        if (sorted.isEmpty()) {
            return new AddressAxis(List.of(), width);
        }
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[] {r[0], r[1]});
            }
        }
        long total = merged.stream().mapToLong(r -> r[1] - r[0]).sum();
        // Join close neighbours, then the closest ones until few enough are left.
        for (int i = merged.size() - 1; i > 0; i--) {
            if (merged.get(i)[0] - merged.get(i - 1)[1] <= JOIN_FRACTION * total) {
                join(merged, i);
            }
        }
        while (merged.size() > MAX_REGIONS) {
            int closest = 1;
            for (int i = 2; i < merged.size(); i++) {
                if (gap(merged, i) < gap(merged, closest)) {
                    closest = i;
                }
            }
            join(merged, closest);
        }
        int n = merged.size();
        double bytes = merged.stream().mapToLong(r -> r[1] - r[0]).sum();
        double min = Math.min(minWidth, width / n / 2);
        double gapWidth = n > 1 ? Math.min(breakWidth, width / (n - 1) / 4) : 0;
        double spread = width - (n - 1) * gapWidth - n * min;
        List<Region> regions = new ArrayList<>();
        double x = 0;
        for (long[] r : merged) {
            double w = min + spread * (r[1] - r[0]) / bytes;
            regions.add(new Region(r[0], r[1], x, w));
            x += w + gapWidth;
        }
        return new AddressAxis(regions, width);
    }

    private static long gap(List<long[]> ranges, int i) {
        return ranges.get(i)[0] - ranges.get(i - 1)[1];
    }

    private static void join(List<long[]> ranges, int i) {
        ranges.get(i - 1)[1] = Math.max(ranges.get(i - 1)[1], ranges.get(i)[1]);
        ranges.remove(i);
    }

    /**
     * {@return where {@code address} lies on the axis}: addresses between regions map to the end of the region
     * below them, those below the first region to 0
     */
    public double x(long address) {
        Region below = null;
        for (Region r : regions) { // a dozen regions at most: a scan beats a search
            if (r.start() > address) {
                break;
            }
            below = r;
        }
        if (below == null) {
            return 0;
        }
        long offset = Math.min(address - below.start(), below.byteSize());
        return below.x() + below.width() * offset / below.byteSize();
    }
}
