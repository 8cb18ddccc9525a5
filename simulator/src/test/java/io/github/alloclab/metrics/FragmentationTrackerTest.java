package io.github.alloclab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FragmentationTrackerTest {

    /**
     * Five points in time, computed by hand:
     * <pre>
     *  t   L    M    high water
     *  1   10   64    64
     *  2   50  128   128
     *  3   20  128   160     (a realloc that allocated before it freed)
     *  4   60  128   160     peak live: tL = 4
     *  5    0   32   160
     *  sum L = 140, sum M = 480;  M* = 160, first reached at t = 3 where L = 20
     * </pre>
     */
    @Test
    void theFourMeasuresOfAHandComputedSeries() {
        FragmentationTracker t = new FragmentationTracker(32);
        t.record(10, 64, 64);
        t.record(50, 128, 128);
        t.record(20, 128, 160);
        t.record(60, 128, 160);
        t.record(0, 32, 160);
        var m = t.measures();
        assertThat(m.peakLiveBytes()).isEqualTo(60);
        assertThat(m.peakFootprintBytes()).isEqualTo(160);
        assertThat(m.utilization()).isEqualTo(60.0 / 160);
        assertThat(m.jw1()).isCloseTo(480.0 / 140 - 1, within(1e-12));
        assertThat(m.jw2()).isCloseTo(128.0 / 60 - 1, within(1e-12));
        assertThat(m.jw3()).isCloseTo(160.0 / 20 - 1, within(1e-12));
        assertThat(m.jw4()).isCloseTo(160.0 / 60 - 1, within(1e-12));
    }

    @Test
    void theFirstPointOfAPeakCounts() {
        FragmentationTracker t = new FragmentationTracker(0);
        t.record(100, 200, 200); // peak live first reached here, M = 200
        t.record(100, 400, 400); // same live, more memory: not the point of peak live
        t.record(50, 400, 400);  // the high water does not move: still t = 2
        var m = t.measures();
        assertThat(m.jw2()).isCloseTo(200.0 / 100 - 1, within(1e-12));
        assertThat(m.jw3()).isCloseTo(400.0 / 100 - 1, within(1e-12));
    }

    @Test
    void measuresWithNothingLiveAreUndefined() {
        FragmentationTracker t = new FragmentationTracker(4096);
        t.record(0, 4096, 4096);
        var m = t.measures();
        assertThat(m.utilization()).isZero();
        assertThat(m.jw1()).isNull();
        assertThat(m.jw2()).isNull();
        assertThat(m.jw3()).as("the high water came before the first operation").isNull();
        assertThat(m.jw4()).isNull();
    }

    @Test
    void noFragmentationIsZero() {
        FragmentationTracker t = new FragmentationTracker(0);
        t.record(64, 64, 64);
        t.record(128, 128, 128);
        var m = t.measures();
        assertThat(m.utilization()).isEqualTo(1.0);
        assertThat(m.jw1()).isZero();
        assertThat(m.jw2()).isZero();
        assertThat(m.jw3()).isZero();
        assertThat(m.jw4()).isZero();
    }
}
