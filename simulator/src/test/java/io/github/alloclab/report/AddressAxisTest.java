package io.github.alloclab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Addresses to x: to scale inside a region, distant regions side by side with the space between cut out. */
class AddressAxisTest {

    private static final long HEAP = 0x555555559000L;
    private static final long MMAP = 0x7ffff7f00000L;

    @Test
    void oneRegionIsDrawnToScaleAcrossTheWholeWidth() {
        AddressAxis axis = AddressAxis.of(List.of(new long[] {HEAP, HEAP + 4096}), 1000, 16, 40);
        assertThat(axis.regions()).hasSize(1);
        assertThat(axis.x(HEAP)).isZero();
        assertThat(axis.x(HEAP + 1024)).isCloseTo(250, within(1e-9));
        assertThat(axis.x(HEAP + 4096)).isCloseTo(1000, within(1e-9));
    }

    @Test
    void aDistantMappingGetsItsOwnRegionAfterABreak() {
        AddressAxis axis = AddressAxis.of(List.of(new long[] {HEAP, HEAP + (1 << 20)},
                new long[] {MMAP, MMAP + 4096}), 1000, 16, 40);
        assertThat(axis.regions()).hasSize(2);
        AddressAxis.Region heap = axis.regions().get(0);
        AddressAxis.Region mmap = axis.regions().get(1);
        assertThat(mmap.x()).isCloseTo(heap.x() + heap.width() + 16, within(1e-9));
        assertThat(mmap.width()).as("a 4 KiB mapping beside a 1 MiB heap stays visible").isGreaterThanOrEqualTo(40);
        assertThat(mmap.x() + mmap.width()).isCloseTo(1000, within(1e-9));
        assertThat(axis.x(MMAP - 1)).as("between regions: the end of the one below").isEqualTo(heap.x() + heap.width());
    }

    @Test
    void closeRangesMergeAndOverlapsCountOnce() {
        AddressAxis axis = AddressAxis.of(List.of(new long[] {0, 1000}, new long[] {500, 1500},
                new long[] {1520, 2000}), 1000, 16, 40);
        assertThat(axis.regions()).containsExactly(new AddressAxis.Region(0, 2000, 0, 1000));
    }

    @Test
    void manyMappingsAreCappedAndXIsMonotonic() {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long start = MMAP + (long) i * (1L << 30);
            ranges.add(new long[] {start, start + 4096});
        }
        ranges.add(new long[] {HEAP, HEAP + 65536});
        AddressAxis axis = AddressAxis.of(ranges, 1000, 16, 40);
        assertThat(axis.regions()).hasSizeLessThanOrEqualTo(AddressAxis.MAX_REGIONS);
        double last = -1;
        for (long[] r : ranges.stream().sorted((a, b) -> Long.compare(a[0], b[0])).toList()) {
            double x = axis.x(r[0]);
            assertThat(x).isGreaterThanOrEqualTo(last).isBetween(0.0, 1000.0);
            last = axis.x(r[1]);
        }
        assertThat(AddressAxis.of(List.of(), 1000, 16, 40).x(HEAP)).isZero();
    }
}
