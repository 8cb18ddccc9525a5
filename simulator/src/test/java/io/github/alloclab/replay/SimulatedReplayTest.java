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
 * byte is written, so the pages that held the peak payload were all resident: RSS at the point of peak live memory
 * is at least the peak payload, and at most the peak footprint rounded up to pages.
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
        long[] residentAtCreation = new long[1];
        ReplayResult result = new Replayer(ReplayOptions.UNTIMED).replay(source, allocator, () -> {
            SimulatedMemorySource memory = new SimulatedMemorySource(MemorySettings.DEFAULTS);
            var made = AllocatorRegistry.standard().create(allocator, memory, Map.of());
            residentAtCreation[0] = memory.residentBytes();
            return made;
        });
        assertThat(result.valid()).as(result.error()).isTrue();
        // The simulated source counts its own pages, so the replay reports them rather than an estimate.
        assertThat(result.bytes().residentEstimated()).isFalse();
        assertThat(result.bytes().resident()).isGreaterThanOrEqualTo(result.peakPayloadBytes());
        long page = MemorySettings.DEFAULTS.pageSize();
        assertThat(result.bytes().resident()).isLessThanOrEqualTo((result.peakFootprintBytes() + page - 1) / page * page + page);
        // The replay counts the faults after the allocator was made; pages its constructor touched were already in.
        assertThat(result.pageFaults() + residentAtCreation[0] / page).isGreaterThanOrEqualTo(result.bytes().resident() / page);
    }
}
