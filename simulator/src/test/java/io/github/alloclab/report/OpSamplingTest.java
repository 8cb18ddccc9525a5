package io.github.alloclab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which operations a timeline shows: all of a short trace, evenly spaced ones and the peak of a long one. */
class OpSamplingTest {

    @Test
    void aShortTraceShowsEveryOperation() {
        assertThat(OpSampling.choose(5, 200, 3)).containsExactly(1, 2, 3, 4, 5);
        assertThat(OpSampling.isEvery(OpSampling.choose(5, 200), 5)).isTrue();
        assertThat(OpSampling.choose(0, 200)).isEmpty();
    }

    @Test
    void aLongTraceIsSampledEvenlyWithItsEnds() {
        long[] rows = OpSampling.choose(1001, 11);
        assertThat(rows).containsExactly(1, 101, 201, 301, 401, 501, 601, 701, 801, 901, 1001);
        assertThat(OpSampling.isEvery(rows, 1001)).isFalse();
    }

    @Test
    void thePeakIsAddedOnceAndInOrder() {
        assertThat(OpSampling.choose(1001, 11, 150, 201, 5000, 0)).containsExactly(
                1, 101, 150, 201, 301, 401, 501, 601, 701, 801, 901, 1001);
    }

    @Test
    void everyCountGivesAscendingDistinctOperationsInRange() {
        for (int count = 2; count < 60; count++) {
            for (long ops : new long[] {1, 2, 59, 60, 61, 1000, 98_912}) {
                long[] rows = OpSampling.choose(ops, count, ops / 2);
                assertThat(rows).isSorted().doesNotHaveDuplicates();
                assertThat(java.util.Arrays.stream(rows).allMatch(op -> op >= 1 && op <= ops)).isTrue();
                assertThat(rows.length).isBetween((int) Math.min(ops, count), count + 1);
                assertThat(rows[rows.length - 1]).isEqualTo(ops);
            }
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> OpSampling.choose(10, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> OpSampling.choose(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
