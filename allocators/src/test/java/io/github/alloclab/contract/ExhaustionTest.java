package io.github.alloclab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.AllocationFailedException;
import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.AllocatorSegmentAllocator;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resource exhaustion, for every registry entry over each memory source: with a heap of a few hundred KiB and
 * a small mmap area, {@code malloc} returns 0 (as C does) rather than throwing, the heap stays consistent,
 * every live block keeps its contents, and once everything is freed the allocator works again. The
 * {@link AllocatorSegmentAllocator} view throws the typed {@link AllocationFailedException} instead.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("allocatorsAndSources")
class ExhaustionTest {

    static Stream<Arguments> allocatorsAndSources() {
        return AllocatorRegistry.standard().names().stream()
                .flatMap(name -> Stream.of(MemoryKind.values()).map(kind -> Arguments.of(name, kind)));
    }

    /** 384 KiB of heap and 512 KiB of mmap area: small enough to run out in a few hundred calls. */
    static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(384 * 1024).withMmapLimit(512 * 1024);

    /** Small, medium and above glibc's default mmap threshold of 128 KiB. */
    static final long[] SIZES = {24, 100, 1000, 3000, 20_000, 150_000};

    /**
     * The allocators that give memory back when everything is freed: the coalescing first-fit heaps and malloc
     * trim the break, page and buddy.mmap unmap. The others keep what they hold on purpose (uncoalesced or
     * deferred free lists, buddy's first arena, slab and zone caches).
     */
    static final Set<String> TRIMS = Set.of("firstfit", "firstfit.implicit.next", "firstfit.first.address",
            "firstfit.first.fifo", "firstfit.next.address", "firstfit.best.address", "firstfit.worst.address",
            "firstfit.first.size-asc", "firstfit.first.size-desc", "firstfit.segregated", "firstfit.checked",
            "buddy.mmap", "page", "malloc");

    @Parameter(0)
    String name;

    @Parameter(1)
    MemoryKind memory;

    Allocator heap;

    private record Live(long address, long byteSize, long seed) {}

    @BeforeEach
    void create() {
        heap = AllocatorRegistry.standard().create(name, memory.create(SMALL), Map.of());
    }

    @AfterEach
    void close() {
        heap.close();
    }

    /** Allocates mixed sizes until every size fails, filling each block with its own pattern. */
    private List<Live> exhaust(long seed) {
        List<Live> live = new ArrayList<>();
        Random random = new Random(seed);
        int failuresInARow = 0;
        for (int i = 0; failuresInARow < 2 * SIZES.length; i++) {
            assertThat(i).as("%s over %s must run out of a small source", name, memory).isLessThan(100_000);
            long size = SIZES[random.nextInt(SIZES.length)];
            long p = heap.malloc(size);
            if (p == 0) {
                failuresInARow++;
                continue;
            }
            failuresInARow = 0;
            fill(p, size, live.size());
            live.add(new Live(p, size, live.size()));
        }
        for (int s = SIZES.length - 1; s >= 0; s--) { // then fill what is left, largest first
            long p;
            for (int n = 0; (p = heap.malloc(SIZES[s])) != 0; n++) {
                assertThat(n).as("%s over %s must run out of malloc(%d)", name, memory, SIZES[s]).isLessThan(100_000);
                fill(p, SIZES[s], live.size());
                live.add(new Live(p, SIZES[s], live.size()));
            }
        }
        for (long size : SIZES) {
            assertThat(heap.malloc(size)).as("malloc(%d) once every size has failed", size).isZero();
        }
        return live;
    }

    @Test
    void mallocReturnsNullAndNothingIsCorrupted() {
        List<Live> live = exhaust(1);
        assertThat(live).as("some blocks fit before the source ran out").isNotEmpty();
        assertThat(heap.malloc(1L << 40)).isZero();
        assertThat(heap.check()).as("heap check after exhaustion").isEmpty();
        live.forEach(this::assertFilled);
        Live victim = live.getFirst();
        assertThat(heap.realloc(victim.address(), 1L << 30)).as("realloc past the limits").isZero();
        assertThat(heap.calloc(1 << 20, 1 << 10)).as("calloc past the limits").isZero();
        assertThat(heap.memalign(4096, 200_000)).as("memalign past the limits").isZero();
        for (long size : SIZES) { // these may still fit (memalign can take another route), but must not throw
            long c = heap.calloc(1, size);
            if (c != 0) {
                heap.free(c);
            }
            long m = heap.memalign(64, size);
            if (m != 0) {
                heap.free(m);
            }
        }
        assertThat(heap.check()).as("heap check after failed realloc, calloc and memalign").isEmpty();
        live.forEach(this::assertFilled);
        // Growing each block: C's realloc either moves the contents or returns NULL and leaves the block alone.
        for (int i = 0; i < live.size(); i++) {
            Live block = live.get(i);
            long grown = heap.realloc(block.address(), block.byteSize() * 2 + 4096);
            if (grown != 0) {
                Live moved = new Live(grown, block.byteSize(), block.seed());
                assertFilled(moved);
                long back = heap.realloc(grown, block.byteSize());
                assertThat(back).as("realloc shrinking back to %d bytes", block.byteSize()).isNotZero();
                live.set(i, new Live(back, block.byteSize(), block.seed()));
            }
        }
        assertThat(heap.check()).as("heap check after growing every block at exhaustion").isEmpty();
        live.forEach(this::assertFilled);
    }

    @Test
    void freeingEverythingMakesTheAllocatorWorkAgain() {
        List<Live> first = exhaust(2);
        long footprintAtExhaustion = heap.stats().footprintBytes();
        for (Live block : first) {
            heap.free(block.address());
        }
        assertThat(heap.check()).as("heap check after freeing everything").isEmpty();
        long footprintWhenEmpty = heap.stats().footprintBytes();
        if (TRIMS.contains(name)) {
            assertThat(footprintWhenEmpty).as("%s trims: heap and mappings go back", name).isLessThan(64 * 1024);
        }
        assertThat(heap.stats().liveBlocks()).isZero();
        assertThat(heap.stats().footprintBytes()).as("footprint after freeing everything")
                .isLessThanOrEqualTo(footprintAtExhaustion);
        for (long size : SIZES) {
            long p = heap.malloc(size);
            assertThat(p).as("malloc(%d) after freeing everything", size).isNotZero();
            heap.free(p);
        }
        List<Live> second = exhaust(2);
        assertThat(bytes(second)).as("the same sequence fits (nearly) as much again: nothing leaked")
                .isGreaterThanOrEqualTo(bytes(first) * 9 / 10);
        assertThat(heap.check()).isEmpty();
        second.forEach(this::assertFilled);
        second.forEach(block -> heap.free(block.address()));
        assertThat(heap.check()).isEmpty();
        assertThat(heap.stats().footprintBytes()).as("footprint after the second round is freed")
                .isLessThanOrEqualTo(footprintWhenEmpty);
    }

    @Test
    void segmentAllocatorViewThrowsTheTypedErrorAndTheHeapStaysUsable() {
        AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
        List<MemorySegment> held = new ArrayList<>();
        AllocationFailedException failure = null;
        for (int i = 0; i < 100_000 && failure == null; i++) {
            try {
                held.add(segments.allocate(1000, 8));
            } catch (AllocationFailedException e) {
                failure = e;
            }
        }
        assertThat(failure).as("the view must run out with AllocationFailedException").isNotNull();
        assertThat(failure).hasMessage("%s: out of memory allocating 1000 bytes aligned to 8", name);
        assertThatThrownBy(() -> segments.allocate(1L << 40, 4096)).isExactlyInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("out of memory");
        assertThat(heap.check()).isEmpty();
        segments.free(held.removeLast());
        held.add(segments.allocate(500, 8));
        held.forEach(segments::free);
        assertThat(heap.check()).isEmpty();
        assertThat(segments.allocate(1000, 8).byteSize()).isEqualTo(1000);
    }

    private static long bytes(List<Live> blocks) {
        return blocks.stream().mapToLong(Live::byteSize).sum();
    }

    private void fill(long address, long size, long seed) {
        for (long i = 0; i < size; i += 8) {
            heap.memory().putByte(address + i, (byte) (seed * 31 + i));
        }
        heap.memory().putByte(address + size - 1, (byte) (seed * 17));
    }

    private void assertFilled(Live block) {
        for (long i = 0; i < block.byteSize(); i += 8) {
            byte b = heap.memory().getByte(block.address() + i);
            if (b != (byte) (block.seed() * 31 + i)) {
                throw new AssertionError("%s over %s: byte %d of block 0x%x (%d bytes) changed"
                        .formatted(name, memory, i, block.address(), block.byteSize()));
            }
        }
        assertThat(heap.memory().getByte(block.address() + block.byteSize() - 1)).isEqualTo((byte) (block.seed() * 17));
    }
}
