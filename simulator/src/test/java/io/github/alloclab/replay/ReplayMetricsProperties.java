package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;

import io.github.alloclab.metrics.SizeClassCount;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.testing.RandomTraces;
import io.github.alloclab.trace.TraceOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relations between a replay row's metrics hold for every registered allocator on generated traces: the
 * byte ladder is ordered, Johnstone and Wilson's measures are ordered {@code jw2 <= jw4 <= jw3} and
 * {@code jw4 = 1/U - 1}, the histogram adds up, and the leaks are the blocks the trace never frees.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("allocators")
class ReplayMetricsProperties {

    @Parameter
    String name;

    static Stream<String> allocators() {
        return AllocatorRegistry.standard().names().stream();
    }

    @Test
    void metricsKeepTheirRelations() {
        qt().withFixedSeed(0xF4A6)
                .withExamples(40)
                .withShrinkCycles(100)
                .forAll(RandomTraces.steps(80))
                .checkAssert(steps -> check(RandomTraces.ops(steps)));
    }

    private void check(List<TraceOp> ops) {
        var trace = RandomTraces.source("gen.rep", RandomTraces.rep(ops));
        ReplayResult r = new Replayer(ReplayOptions.UNTIMED).replay(trace, name,
                () -> AllocatorRegistry.standard().create(name));
        assertThat(r.error()).isNull();

        var b = r.bytes();
        assertThat(b.requested()).isEqualTo(r.peakPayloadBytes());
        assertThat(b.requested()).isLessThanOrEqualTo(b.allocated());
        assertThat(b.allocated()).isLessThanOrEqualTo(b.active());
        assertThat(b.active()).isLessThanOrEqualTo(b.mapped());
        assertThat(b.resident()).isLessThanOrEqualTo(b.mapped());
        assertThat(b.mapped()).isLessThanOrEqualTo(r.peakFootprintBytes() + 4096);

        var f = r.fragmentation();
        if (r.peakPayloadBytes() > 0) {
            assertThat(f.jw2()).isLessThanOrEqualTo(f.jw4() + 1e-12);
            if (f.jw3() != null) {
                assertThat(f.jw4()).isLessThanOrEqualTo(f.jw3() + 1e-12);
            }
            assertThat(r.utilization() * (1 + f.jw4())).isCloseTo(1.0, within(1e-9));
            assertThat(f.jw1()).isNotNull();
        }
        assertThat(f.internal()).isBetween(0.0, 1.0);
        assertThat(f.external()).isBetween(0.0, 1.0);
        assertThat(f.histogram().stream().mapToLong(SizeClassCount::blocks).sum()).isEqualTo(f.freeBlocks());
        assertThat(f.histogram().stream().mapToLong(SizeClassCount::bytes).sum()).isEqualTo(f.freeBytes());
        assertThat(f.largestFreeBlock()).isLessThanOrEqualTo(f.freeBytes());

        Map<Integer, Long> live = new HashMap<>();
        for (TraceOp op : ops) {
            if (op.kind() == TraceOp.Kind.FREE) {
                live.remove(op.id());
            } else {
                live.put(op.id(), op.byteSize());
            }
        }
        assertThat(r.leakedBlocks()).isEqualTo(live.size());
        assertThat(r.leakedBytes()).isEqualTo(live.values().stream().mapToLong(Long::longValue).sum());
        assertThat(r.searchSteps().max()).isNotNegative();
    }
}
