package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.metrics.ByteLadder;
import io.github.alloclab.metrics.SizeClassCount;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every metric of a replay row, on a trace small enough to follow by hand through {@code firstfit} with
 * {@code chunkBytes=32} (the heap grows by exactly what a block needs).
 *
 * <pre>
 *  firstfit: heap starts at 32 bytes (pad 8, prologue 16, epilogue 8); a block is max(32, roundUp(n + 16, 16)).
 *
 *  op          blocks after (bytes)                          L     M = heap   searched
 *  a 0 10      [0:32]                                        10     64        0 (empty list)
 *  a 1 40      [0:32][1:64]                                  50    128        0
 *  f 0         [free 32][1:64]                               40    128
 *  a 2 20      [free 32][1:64][2:48]     (48 > 32: grow)     60    176        1 (no fit)   peak live, tL = 4
 *  f 1         [free 96][2:48]           (coalesced)         20    176
 *  a 3 16      [3:32][free 64][2:48]     (split)             36    176        1 (fit)
 *
 *  sum L = 216, sum M = 848, max L = 60, M* = 176 (first at op 4, L = 60)
 * </pre>
 */
class ReplayMetricsTest {

    private static final TraceSource TINY = new TraceSource("tiny.rep", () -> new ByteArrayInputStream("""
            0
            4
            6
            1
            a 0 10
            a 1 40
            f 0
            a 2 20
            f 1
            a 3 16
            """.getBytes(StandardCharsets.UTF_8)));

    private static Allocator firstfit() {
        return AllocatorRegistry.standard().create("firstfit", Map.of("chunkBytes", "32"));
    }

    @Test
    void everyMetricOfAHandComputedReplay() {
        ReplayResult r = new Replayer(ReplayOptions.UNTIMED).replay(TINY, "firstfit", ReplayMetricsTest::firstfit);
        assertThat(r.error()).isNull();
        assertThat(r.peakPayloadBytes()).isEqualTo(60);
        assertThat(r.peakFootprintBytes()).isEqualTo(176);
        assertThat(r.utilization()).isEqualTo(60.0 / 176);

        var f = r.fragmentation();
        assertThat(f.jw1()).isCloseTo(848.0 / 216 - 1, within(1e-12));
        assertThat(f.jw2()).isCloseTo(176.0 / 60 - 1, within(1e-12));
        assertThat(f.jw3()).isCloseTo(176.0 / 60 - 1, within(1e-12));
        assertThat(f.jw4()).isCloseTo(176.0 / 60 - 1, within(1e-12));

        // At the peak (after op 4): prologue 24 + [free 32][1: 64, usable 48][2: 48, usable 32] + epilogue 8.
        assertThat(r.bytes()).isEqualTo(new ByteLadder(60, 48 + 32, 4096, 4096, 4096, 24 + 8 + 16 + 16, true));
        assertThat(f.internalBytes()).isEqualTo(64 + 48 - 60);
        assertThat(f.internal()).isEqualTo(52.0 / 112);
        assertThat(f.freeBlocks()).isEqualTo(1);
        assertThat(f.freeBytes()).isEqualTo(32);
        assertThat(f.largestFreeBlock()).isEqualTo(32);
        assertThat(f.external()).isZero();
        assertThat(f.histogram()).containsExactly(new SizeClassCount(32, 64, 1, 32));

        assertThat(r.searchSteps().mean()).isEqualTo(2.0 / 4);
        assertThat(r.searchSteps().max()).isEqualTo(1);
        assertThat(r.searchSteps().sampledEvery()).isEqualTo(1);
        assertThat(r.pageFaults()).as("every block is on the heap's first page").isEqualTo(1);
        assertThat(r.leakedBlocks()).isEqualTo(2);
        assertThat(r.leakedBytes()).isEqualTo(20 + 16);
        assertThat(r.performanceIndex()).as("untimed").isNull();
    }

    @Test
    void residentPagesAreThoseTheReplayTouched() {
        // a 0 100: the heap grows by 4 KiB (chunkBytes) to 4,128 bytes; a 1 12000 grows it by 8,048 to 12,176:
        // 3 pages mapped, all touched by the two payloads. The peak is after op 2.
        TraceSource trace = new TraceSource("grow.rep", () -> new ByteArrayInputStream(
                "0\n2\n3\n1\na 0 100\na 1 12000\nf 1\n".getBytes(StandardCharsets.UTF_8)));
        ReplayResult r = new Replayer(ReplayOptions.UNTIMED).replay(trace, "firstfit",
                () -> AllocatorRegistry.standard().create("firstfit"));
        assertThat(r.bytes().mapped()).isEqualTo(3 * 4096);
        assertThat(r.bytes().resident()).isEqualTo(3 * 4096);
        assertThat(r.pageFaults()).isEqualTo(3);
    }

    @Test
    void timedReplaysCarryGlibcsReferenceAndTheIndex() {
        var timed = new Replayer(new ReplayOptions(true, 1, 1, 0, false));
        ReplayResult r = timed.replay(TINY, "firstfit", ReplayMetricsTest::firstfit);
        assertThat(r.referenceOpsPerSecond()).isPositive();
        assertThat(r.opsPerSecond()).isPositive();
        double expected = 100 * (0.6 * r.utilization() + 0.4 * Math.min(1, r.opsPerSecond() / r.referenceOpsPerSecond()));
        assertThat(r.performanceIndex()).isCloseTo(expected, within(1e-9));
    }
}
