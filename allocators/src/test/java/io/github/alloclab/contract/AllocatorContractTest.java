package io.github.alloclab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.AllocationFailedException;
import io.github.alloclab.allocator.AllocatorSegmentAllocator;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every allocator in the registry keeps, run against each registry entry over each memory source
 * ({@link MemoryKind}). A new allocator is covered as soon as it is registered. Over the simulated source, any
 * access outside the heap and the mappings, or against their permissions, is a {@code SegmentationFault}.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("allocatorsAndSources")
class AllocatorContractTest {

    static Stream<String> allocators() {
        return AllocatorRegistry.standard().names().stream();
    }

    static Stream<Arguments> allocatorsAndSources() {
        return allocators().flatMap(name -> Stream.of(MemoryKind.values()).map(kind -> Arguments.of(name, kind)));
    }

    /** Sizes that cross every boundary an allocator is likely to have. */
    static final long[] SIZES = {0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 100, 127, 128, 255, 256,
            511, 512, 1000, 1023, 1024, 2047, 2048, 4095, 4096, 4097, 8192, 10_000, 65_536, 131_071, 131_072,
            131_073, 500_000, 1 << 20};

    @Parameter(0)
    String name;

    @Parameter(1)
    MemoryKind memory;

    Allocator heap;

    @BeforeEach
    void create() {
        heap = AllocatorRegistry.standard().create(name, memory.create(MemorySettings.DEFAULTS), Map.of());
    }

    @AfterEach
    void close() {
        heap.close();
    }

    private void assertConsistent() {
        assertThat(heap.check()).as("heap check of %s", name).isEmpty();
    }

    @Test
    void everySizeIsAlignedUsableInsideTheHeapAndConsistent() {
        for (long size : SIZES) {
            long p = heap.malloc(size);
            assertThat(p).as("malloc(%d)", size).isNotZero();
            assertThat(p % heap.alignment()).as("alignment of malloc(%d)", size).isZero();
            assertThat(p % 16).as("16-byte alignment of malloc(%d)", size).isZero();
            assertThat(heap.usableSize(p)).as("usableSize of malloc(%d)", size).isGreaterThanOrEqualTo(size);
            assertThat(heap.memory().isMapped(p, size)).as("malloc(%d) inside the heap", size).isTrue();
            assertConsistent();
        }
    }

    @Test
    void liveBlocksNeverOverlapAndKeepTheirContents() {
        Random random = new Random(42);
        List<long[]> live = new ArrayList<>(); // address, size, seed
        for (int i = 0; i < 2000; i++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                long size = random.nextInt(8) == 0 ? random.nextInt(300_000) : random.nextInt(600);
                long p = heap.malloc(size);
                assertThat(p).isNotZero();
                fill(p, size, i);
                live.add(new long[] {p, size, i});
            } else {
                long[] block = live.remove(random.nextInt(live.size()));
                assertFilled(block[0], block[1], block[2]);
                heap.free(block[0]);
            }
        }
        live.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        for (int i = 1; i < live.size(); i++) {
            long[] before = live.get(i - 1);
            assertThat(before[0] + Math.max(before[1], 1)).as("end of block before 0x%x", live.get(i)[0])
                    .isLessThanOrEqualTo(live.get(i)[0]);
        }
        for (long[] block : live) {
            assertFilled(block[0], block[1], block[2]);
        }
        assertConsistent();
    }

    @Test
    void reallocKeepsContentsWhenGrowingAndShrinking() {
        long p = heap.malloc(40);
        fill(p, 40, 7);
        long[] sizes = {100, 20, 5000, 3000, 200_000, 64, 1, 300_000, 48};
        long kept = 40;
        for (long size : sizes) {
            long blocker = heap.malloc(32); // a neighbour, so that some grows cannot happen in place
            long q = heap.realloc(p, size);
            assertThat(q).as("realloc to %d", size).isNotZero();
            assertThat(q % heap.alignment()).isZero();
            assertThat(heap.usableSize(q)).isGreaterThanOrEqualTo(size);
            kept = Math.min(kept, size);
            assertFilled(q, kept, 7);
            fill(q, size, 7);
            kept = size;
            p = q;
            heap.free(blocker);
            assertConsistent();
        }
        heap.free(p);
        assertConsistent();
    }

    @Test
    void cSemanticsOfNullAndZero() {
        heap.free(0);
        long p = heap.realloc(0, 24);
        assertThat(p).isNotZero();
        assertThat(heap.realloc(p, 0)).isZero();
        long a = heap.malloc(0);
        long b = heap.malloc(0);
        assertThat(a).isNotZero().isNotEqualTo(b);
        heap.free(a);
        heap.free(b);
        assertConsistent();
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    @Test
    void callocZeroesEvenRecycledMemory() {
        long p = heap.malloc(4000);
        heap.memory().fill(p, 4000, (byte) 0xA5);
        heap.free(p);
        long q = heap.calloc(100, 40);
        assertThat(q).isNotZero();
        for (long i = 0; i < 4000; i++) {
            assertThat(heap.memory().getByte(q + i)).as("byte %d", i).isZero();
        }
        assertThat(heap.calloc(Long.MAX_VALUE / 2, 4)).as("overflowing calloc").isZero();
        assertConsistent();
    }

    @Test
    void memalignHonoursEveryAlignment() {
        List<Long> blocks = new ArrayList<>();
        for (long alignment = 1; alignment <= 65_536; alignment <<= 1) {
            for (long size : new long[] {1, 100, 5000}) {
                long p = heap.memalign(alignment, size);
                assertThat(p).isNotZero();
                assertThat(p % alignment).as("memalign(%d, %d)", alignment, size).isZero();
                assertThat(heap.usableSize(p)).isGreaterThanOrEqualTo(size);
                heap.memory().fill(p, size, (byte) 1);
                blocks.add(p);
                assertConsistent();
            }
        }
        blocks.forEach(heap::free);
        assertConsistent();
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    @Test
    void freeingEverythingReturnsTheHeapToEmpty() {
        Random random = new Random(7);
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            live.add(heap.malloc(random.nextInt(10) == 0 ? random.nextInt(200_000) : random.nextInt(500)));
        }
        java.util.Collections.shuffle(live, random);
        live.forEach(heap::free);
        assertConsistent();
        var stats = heap.stats();
        assertThat(stats.liveBlocks()).isZero();
        assertThat(stats.allocatedBytes()).isZero();
        assertThat(stats.mappedBytes()).as("mmapped blocks are unmapped").isZero();
        List<BlockState> states = new ArrayList<>();
        heap.walk(block -> states.add(block.state()));
        assertThat(states).doesNotContain(BlockState.ALLOCATED);
    }

    @Test
    void doubleAndInvalidFreesAreReportedAndTheHeapStaysUsable() {
        long p = heap.malloc(64);
        long q = heap.malloc(64);
        heap.free(p);
        assertThatThrownBy(() -> heap.free(p)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageContaining("free()");
        assertThatThrownBy(() -> heap.free(q + 1)).isInstanceOf(HeapCorruptionException.class)
                .hasMessageContaining("invalid pointer");
        assertThatThrownBy(() -> heap.free(0x1000)).isInstanceOf(HeapCorruptionException.class);
        assertConsistent();
        long r = heap.malloc(64);
        assertThat(r).isNotZero();
        heap.free(q);
        heap.free(r);
        assertConsistent();
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> heap.malloc(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.memalign(24, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.memalign(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> heap.calloc(-1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outOfMemoryReturnsNullAndLeavesTheHeapUsable() {
        var small = MemorySettings.DEFAULTS.withHeapLimit(256 * 1024).withMmapLimit(256 * 1024);
        try (Allocator tiny = AllocatorRegistry.standard().create(name, memory.create(small), Map.of())) {
            List<Long> live = new ArrayList<>();
            long p;
            while ((p = tiny.malloc(1000)) != 0) {
                live.add(p);
                assertThat(live.size()).as("a 512 KiB source must run out").isLessThan(1000);
            }
            assertThat(tiny.malloc(1L << 40)).isZero();
            assertThat(tiny.check()).isEmpty();
            AllocatorSegmentAllocator segments = tiny.asSegmentAllocator();
            assertThatThrownBy(() -> segments.allocate(1L << 30)).isInstanceOf(AllocationFailedException.class)
                    .hasMessageContaining("out of memory");
            tiny.free(live.removeLast());
            assertThat(tiny.malloc(500)).as("memory freed can be used again").isNotZero();
            assertThat(tiny.check()).isEmpty();
        }
    }

    @Test
    void segmentAllocatorViewHandsOutRealMemory() {
        AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
        MemorySegment ints = segments.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3, 4);
        long address = segments.addressOf(ints);
        assertThat(heap.memory().getInt(address + 8)).isEqualTo(3);
        heap.memory().putInt(address, 42);
        assertThat(ints.getAtIndex(ValueLayout.JAVA_INT, 0)).isEqualTo(42);
        MemorySegment page = segments.allocate(4096, 4096);
        assertThat(segments.addressOf(page) % 4096).isZero();
        segments.free(ints);
        segments.free(page);
        assertConsistent();
        assertThat(heap.stats().liveBlocks()).isZero();
    }

    private void fill(long address, long size, long seed) {
        for (long i = 0; i < size; i++) {
            heap.memory().putByte(address + i, (byte) (seed * 31 + i));
        }
    }

    private void assertFilled(long address, long size, long seed) {
        for (long i = 0; i < size; i++) {
            if (heap.memory().getByte(address + i) != (byte) (seed * 31 + i)) {
                throw new AssertionError("%s: byte %d of block 0x%x (seed %d) changed".formatted(name, i, address, seed));
            }
        }
    }
}
