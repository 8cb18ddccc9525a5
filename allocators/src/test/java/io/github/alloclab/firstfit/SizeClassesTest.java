package io.github.alloclab.firstfit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every size maps to the class whose bounds hold it, and the classes tile the sizes in order. */
class SizeClassesTest {

    @Test
    void everySizeUpToFourMebibytesLiesInItsClassAndClassesNeverDecrease() {
        int previous = SizeClasses.classOf(0);
        for (long size = 0; size <= 4L << 20; size++) {
            int c = SizeClasses.classOf(size);
            if (c < previous || c > previous + 1) {
                throw new AssertionError("class of %d is %d after %d".formatted(size, c, previous));
            }
            if (size < SizeClasses.lowerBound(c) || size > SizeClasses.upperBound(c)) {
                throw new AssertionError("%d is outside class %d [%d, %d]".formatted(size, c,
                        SizeClasses.lowerBound(c), SizeClasses.upperBound(c)));
            }
            previous = c;
        }
    }

    @Test
    void classesTileEveryLongWithoutGapsAndTheirEdgesMapBack() {
        assertThat(SizeClasses.lowerBound(0)).isZero();
        assertThat(SizeClasses.upperBound(SizeClasses.COUNT - 1)).isEqualTo(Long.MAX_VALUE);
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long low = SizeClasses.lowerBound(c);
            long high = SizeClasses.upperBound(c);
            assertThat(high).as("class %d", c).isGreaterThanOrEqualTo(low);
            assertThat(SizeClasses.classOf(low)).as("lower bound of class %d", c).isEqualTo(c);
            assertThat(SizeClasses.classOf(high)).as("upper bound of class %d", c).isEqualTo(c);
            if (c + 1 < SizeClasses.COUNT) {
                assertThat(SizeClasses.lowerBound(c + 1)).as("class %d follows %d", c + 1, c).isEqualTo(high + 1);
            }
            if (c >= 64 && c < SizeClasses.COUNT - 1) {
                assertThat(high - low + 1).as("width of class %d", c).isEqualTo(low / (4 + (c - 64) % 4));
            }
        }
    }

    @Test
    void powersOfTwoAndTheirNeighboursUpToTheTopBit() {
        for (int k = 1; k < 63; k++) {
            for (long size : new long[] {(1L << k) - 1, 1L << k, (1L << k) + 1}) {
                int c = SizeClasses.classOf(size);
                assertThat(c).isBetween(0, SizeClasses.COUNT - 1);
                assertThat(size).isBetween(SizeClasses.lowerBound(c), SizeClasses.upperBound(c));
            }
        }
        assertThat(SizeClasses.classOf(Long.MAX_VALUE)).isEqualTo(SizeClasses.COUNT - 1);
        assertThat(SizeClasses.classOf(1023)).isEqualTo(63);
        assertThat(SizeClasses.classOf(1024)).isEqualTo(64);
        assertThat(SizeClasses.classOf(1279)).isEqualTo(64);
        assertThat(SizeClasses.classOf(1280)).isEqualTo(65);
        assertThat(SizeClasses.classOf(2048)).isEqualTo(68);
    }
}
