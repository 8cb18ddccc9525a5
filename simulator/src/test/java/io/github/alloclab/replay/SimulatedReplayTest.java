package io.github.alloclab.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.memory.SimulatedMemorySource;
import io.github.alloclab.registry.AllocatorRegistry;
import io.github.alloclab.trace.BundledTraces;
import io.github.alloclab.trace.TraceSource;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered allocator replays the bundled real traces over the simulated memory source, unchanged:
 * every access it makes is checked against the mappings, and the replay reports what paging saw. Every payload
 * byte is written, so the pages that held the peak payload were all resident: RSS at the peak is at least the
 * peak payload, and at most the peak footprint rounded up to pages; and each resident page took a fault.
 */
class SimulatedReplayTest {

    static Stream<Arguments> cases() {
        return AllocatorRegistry.standard().names().stream().flatMap(name -> Stream.of("find_doc_gz.rep", "git_log_stat.rep")
                .map(trace -> Arguments.of(name, trace)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void bundledTracesReplayCleanlyAndReportPaging(String allocator, String trace) {
        TraceSource source = BundledTraces.find(trace).orElseThrow();
        long[] residentBeforeReplay = {-1};
        ReplayResult result = new Replayer(ReplayOptions.UNTIMED).replay(source, allocator, () -> {
            SimulatedMemorySource memory = new SimulatedMemorySource(MemorySettings.DEFAULTS);
            var heap = AllocatorRegistry.standard().create(allocator, memory, Map.of());
            residentBeforeReplay[0] = memory.residentBytes(); // what the allocator's own set-up touched
            return heap;
        });
        assertThat(result.valid()).as(result.error()).isTrue();
        assertThat(result.bytes().residentEstimated()).as("the page table counts, nothing is estimated").isFalse();
        long resident = result.bytes().resident(); // at the point of peak live memory
        assertThat(resident).isGreaterThanOrEqualTo(result.peakPayloadBytes());
        long page = MemorySettings.DEFAULTS.pageSize();
        assertThat(resident).isLessThanOrEqualTo((result.peakFootprintBytes() + page - 1) / page * page + page);
        assertThat(result.pageFaults()).as("faults during the replay").isPositive()
                .isGreaterThanOrEqualTo((resident - residentBeforeReplay[0]) / page);
    }
}
