package io.github.alloclab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's body works for every heap it names; JMH measures it, this only checks it runs. */
class AllocFreePairBenchmarkTest {

    @Test
    void everyNamedHeapAllocatesAndFrees() {
        for (String name : new String[] {"firstfit", "glibc"}) {
            var benchmark = new AllocFreePairBenchmark();
            benchmark.allocator = name;
            benchmark.byteSize = 64;
            benchmark.setUp();
            for (int i = 0; i < 1000; i++) {
                assertThat(benchmark.allocFreePair()).as(name).isNotZero();
            }
            benchmark.tearDown();
        }
    }
}
