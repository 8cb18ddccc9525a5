package io.github.alloclab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark method runs once, briefly, in this JVM, on every allocator and available baseline, so the
 * suite cannot rot. No timing is checked: JMH measures, tests only run.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRunsOnEveryHeap() throws Exception {
        List<String> skipped = new ArrayList<>();
        List<String> heaps = BenchHeap.available(skipped);
        skipped.forEach(System.out::println);
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io\\.github\\.alloclab\\.bench\\..*")
                .param("allocator", heaps.toArray(String[]::new))
                .param("byteSize", "64")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(5))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build()).run();
        List<String> ran = results.stream()
                .map(r -> r.getParams().getBenchmark().replaceFirst(".*\\.", "") + "/" + r.getParams().getParam("allocator"))
                .toList();
        for (String heap : heaps) {
            assertThat(ran).contains("allocFreePair/" + heap, "batch/" + heap, "replaceOne/" + heap,
                    "findDocGz/" + heap, "gitLogStat/" + heap, "tsortDag/" + heap, "oneThread/" + heap,
                    "twoThreads/" + heap, "fourThreads/" + heap);
        }
        assertThat(heaps).contains("firstfit", "bump", "glibc", "arena", "slicing");
    }

    @Test
    void aHeapBehindALockIsThreadSafeAndTheLabsUsesConcurrentAllocator() {
        try (BenchHeap zone = BenchHeap.of("zone"); BenchHeap locked = BenchHeap.of("zone+lock");
             BenchHeap bump = BenchHeap.of("bump+lock"); BenchHeap glibc = BenchHeap.of("glibc")) {
            assertThat(zone.isThreadSafe()).isFalse();
            assertThat(locked.isThreadSafe()).isTrue();
            assertThat(((BenchHeap.Lab) locked).allocator())
                    .isInstanceOf(io.github.alloclab.allocator.ConcurrentAllocator.class);
            assertThat(bump).isInstanceOf(BenchHeap.Locked.class);
            assertThat(glibc.isThreadSafe()).isTrue();
            locked.free(locked.malloc(100));
        }
    }

    @Test
    void unknownHeapsAreRejectedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchHeap.of("nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown allocator 'nope'");
    }
}
