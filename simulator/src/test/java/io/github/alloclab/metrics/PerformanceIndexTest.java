package io.github.alloclab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PerformanceIndexTest {

    @Test
    void weighsUtilisationAgainstThroughputAsCsappDoes() {
        // U = 0.8, T = half of glibc's: 100 (0.6 * 0.8 + 0.4 * 0.5) = 68
        assertThat(PerformanceIndex.of(0.8, 5e6, 10e6)).isCloseTo(68.0, within(1e-9));
        // faster than glibc earns no more than glibc's speed: 100 (0.6 * 0.5 + 0.4) = 70
        assertThat(PerformanceIndex.of(0.5, 30e6, 10e6)).isCloseTo(70.0, within(1e-9));
        assertThat(PerformanceIndex.of(1.0, 10e6, 10e6)).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void isUndefinedWithoutBothThroughputs() {
        assertThat(PerformanceIndex.of(0.9, 0, 10e6)).isNull();
        assertThat(PerformanceIndex.of(0.9, 10e6, 0)).isNull();
    }
}
