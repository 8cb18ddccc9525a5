package io.github.alloclab.heapmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link HeapMap}: the scale, the regions, what each cell shows, and red zones. */
class HeapMapTest {

    @Test
    void theScaleIsTheSmallestPowerOfTwoThatFits() {
        assertThat(HeapMap.scale(4096, 64)).isEqualTo(64);
        assertThat(HeapMap.scale(4097, 64)).isEqualTo(128);
        assertThat(HeapMap.scale(4128, 256)).isEqualTo(32);
        assertThat(HeapMap.scale(1, 64)).isEqualTo(1);
        assertThat(HeapMap.scale(1L << 30, 64)).isEqualTo(1L << 24);
        for (long size = 1; size < 5000; size += 7) {
            long s = HeapMap.scale(size, 64);
            assertThat(Long.bitCount(s)).isEqualTo(1);
            assertThat((size + s - 1) / s).isLessThanOrEqualTo(64);
            assertThat(s == 1 || (size + s / 2 - 1) / (s / 2) > 64).as("no smaller power fits %d", size).isTrue();
        }
    }

    @Test
    void cellsShowHeaderPayloadPaddingFooterAndFreeByteForByte() {
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
            long p = heap.malloc(20);
            Map<Long, Long> requested = Map.of(p, 20L);
            HeapRegion region = HeapMap.of(heap, requested, 1 << 20, 8).getFirst();
            assertThat(region.name()).isEqualTo(HeapRegion.BRK);
            assertThat(region.start()).isEqualTo(heap.memory().heapStart());
            assertThat(region.end()).isEqualTo(heap.memory().brk());
            // prologue 24, header 8, payload 20 (+4 of padding in its cell), padding 8, footer 8, then a free block
            assertThat(symbols(region).substring(0, 12)).isEqualTo("====###+==..");
            assertThat(symbols(region)).endsWith("..==");
            assertThat(symbols(HeapMap.of(heap, Map.of(), 1 << 20, 8).getFirst()).substring(0, 12))
                    .as("a block whose request is unknown is allocated throughout its usable bytes")
                    .isEqualTo("====####==..");
        }
    }

    @Test
    void aCellShowsTheFirstStateOfItsBytesInPrecedenceOrder() {
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
            long p = heap.malloc(20);
            HeapRegion coarse = HeapMap.of(heap, Map.of(p, 20L), 1 << 20, 64).getFirst();
            // cell 0 holds the prologue, ptr's header and payload: allocated wins; cell 1 ptr's footer and free
            // bytes: metadata wins over free
            assertThat(symbols(coarse)).startsWith("#=..");
            heap.free(p);
            assertThat(symbols(HeapMap.of(heap, Map.of(), 1 << 20, 64).getFirst())).startsWith("=...");
        }
    }

    @Test
    void mappedBlocksMakeTheirOwnPageAlignedRegions() {
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
            long small = heap.malloc(100);
            long big = heap.malloc(300_000);
            long bigger = heap.malloc(1_000_000);
            Map<Long, Long> requested = new HashMap<>(Map.of(small, 100L, big, 300_000L, bigger, 1_000_000L));
            List<HeapRegion> regions = HeapMap.of(heap, requested, 64, 0);
            assertThat(regions).extracting(HeapRegion::name).first().isEqualTo(HeapRegion.BRK);
            assertThat(regions.subList(1, regions.size())).isNotEmpty().allSatisfy(r -> {
                assertThat(r.name()).isEqualTo(HeapRegion.MMAP);
                assertThat(r.start() % 4096).isZero();
                assertThat(r.end() % 4096).isZero();
                assertThat(r.cells()).hasSizeLessThanOrEqualTo(64).contains(CellState.ALLOCATED);
            });
            assertThat(regions).allSatisfy(r -> assertThat(r.cells())
                    .hasSize((int) ((r.byteSize() + r.bytesPerCell() - 1) / r.bytesPerCell())));
            assertThat(regions.stream().filter(r -> r.start() <= bigger && bigger < r.end())).hasSize(1);
            assertThat(regions).isSortedAccordingTo((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        }
    }

    @Test
    void checkedModeRedZonesAreFoundInTheBytes() {
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit.checked")) {
            long p = heap.malloc(10);
            String cells = symbols(HeapMap.of(heap, Map.of(p, 10L), 1 << 20, 8).getFirst());
            assertThat(cells).contains("!").contains("#");
            assertThat(cells.indexOf('!')).as("a red zone before the payload").isLessThan(cells.indexOf('#'));
            assertThat(cells.lastIndexOf('!')).as("and one after").isGreaterThan(cells.indexOf('#'));
        }
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
            long p = heap.malloc(100);
            heap.memory().fill(p, 100, (byte) 0xcc);
            assertThat(symbols(HeapMap.of(heap, Map.of(p, 100L), 1 << 20, 8).getFirst()))
                    .as("0xcc in a payload is data, not a red zone").doesNotContain("!");
        }
    }

    @Test
    void rejectsAScaleThatIsNotAPowerOfTwo() {
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
            assertThatThrownBy(() -> HeapMap.of(heap, Map.of(), 64, 24)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two");
            assertThatThrownBy(() -> HeapMap.of(heap, Map.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String symbols(HeapRegion region) {
        return region.cells().stream().map(c -> String.valueOf(c.symbol())).collect(Collectors.joining());
    }
}
