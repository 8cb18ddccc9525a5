package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceFormatException;
import io.github.alloclab.trace.TraceSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayerTest {

    private static final Replayer CHECKS_ONLY = new Replayer(ReplayOptions.UNTIMED);

    /** Lines 5.. hold: a 0 40 / a 1 40 / a 2 40 / r 1 4000 / f 0 / f 1 / f 2. */
    private static final TraceSource SMALL = inline("small.rep", """
            4096
            3
            7
            1
            a 0 40
            a 1 40
            a 2 40
            r 1 4000
            f 0
            f 1
            f 2
            """);

    private static TraceSource inline(String name, String text) {
        return new TraceSource(name, () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bundledTracesReplayCleanlyOnEveryRegisteredAllocator() {
        for (String name : AllocatorRegistry.standard().names()) {
            for (TraceSource trace : BundledTraces.all()) {
                ReplayResult r = CHECKS_ONLY.replay(trace, name, () -> AllocatorRegistry.standard().create(name));
                assertThat(r.error()).as("%s on %s", name, trace.name()).isNull();
                assertThat(r.valid()).isTrue();
                // Above 0 and at most 1: a page allocator serving tsort's tiny blocks a page each gets 0.6%.
                assertThat(r.utilization()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
                assertThat(r.peakFootprintBytes()).isGreaterThanOrEqualTo(r.peakPayloadBytes());
            }
        }
    }

    @Test
    void measuresPeakPayloadAndUtilisation() {
        ReplayResult r = CHECKS_ONLY.replay(SMALL, "firstfit", () -> AllocatorRegistry.standard().create("firstfit"));
        assertThat(r.valid()).isTrue();
        assertThat(r.ops()).isEqualTo(7);
        assertThat(r.peakPayloadBytes()).isEqualTo(40 + 4000 + 40);
        assertThat(r.utilization()).isEqualTo((double) r.peakPayloadBytes() / r.peakFootprintBytes());
        assertThat(r.opsPerSecond()).isZero();
    }

    @Test
    void timedReplayReportsThroughput() {
        var timed = new Replayer(new ReplayOptions(true, 2, 2, 0, false));
        ReplayResult r = timed.replay(SMALL, "firstfit", () -> AllocatorRegistry.standard().create("firstfit"));
        assertThat(r.opsPerSecond()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            OVERLAP                | 3 | line 7: id 2's payload [0x555555559060, 0x555555559088) overlaps id 1's [0x555555559060, 0x555555559088)
            MISALIGNED             | 2 | line 6: id 1's payload 0x555555559068 is not aligned to 16 bytes
            OUTSIDE_HEAP           | 1 | line 5: id 0's payload [0x555595559000, 0x555595559028) lies outside the heap
            REALLOC_DROPS_CONTENTS | 1 | line 8: id 1's payload was corrupted after realloc
            SCRIBBLES_ON_NEIGHBOUR | 3 | line 8: id 1's payload was corrupted before realloc: byte 0
            THROWS                 | 2 | line 6: malloc(40) of id 1 failed: planted failure
            """)
    void aPlantedAllocatorBugIsFoundOnItsTraceLine(BrokenAllocator.Bug bug, int triggerAt, String expected) {
        ReplayResult r = CHECKS_ONLY.replay(SMALL, "broken", () -> new BrokenAllocator(bug, triggerAt));
        assertThat(r.valid()).isFalse();
        assertThat(r.error()).startsWith(expected);
    }

    @Test
    void outOfMemoryIsAnInvalidReplayNamingTheLine() {
        TraceSource huge = inline("huge.rep", "0\n1\n1\n1\na 0 1099511627776\n");
        ReplayResult r = CHECKS_ONLY.replay(huge, "firstfit", () -> AllocatorRegistry.standard().create("firstfit"));
        assertThat(r.valid()).isFalse();
        assertThat(r.outOfMemory()).isTrue();
        assertThat(r.error()).isEqualTo("out of memory at line 5: malloc(1099511627776) of id 0 returned NULL");
    }

    @Test
    void operationsOnBlocksThatAreNotLiveAreBadInput() {
        for (String[] c : new String[][] {
                {"a 0 8\na 0 8\n", "t.rep:6: id 0 is allocated again while still live"},
                {"f 1\na 0 8\n", "t.rep:5: free of id 1, which is not allocated"},
                {"a 0 8\nf 0\nr 0 9\n", "t.rep:7: realloc of id 0, which is not allocated"}}) {
            long ops = c[0].lines().count();
            TraceSource bad = inline("t.rep", "0\n2\n%d\n1\n%s".formatted(ops, c[0]));
            assertThatThrownBy(() -> CHECKS_ONLY.replay(bad, "firstfit", () -> AllocatorRegistry.standard().create("firstfit")))
                    .isInstanceOf(TraceFormatException.class).hasMessage(c[1]);
        }
    }
}
