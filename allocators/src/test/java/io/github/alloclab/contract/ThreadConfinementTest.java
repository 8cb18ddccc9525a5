package io.github.alloclab.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.ConcurrentAllocator;
import io.github.alloclab.memory.MemorySettings;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Use from a second thread, for every registry entry over each memory source: a thread-safe allocator serves it;
 * a confined one refuses every call that would change the heap with {@link WrongThreadException}, before
 * changing anything, and goes on working for its own thread; shared through a {@link ConcurrentAllocator}, it
 * refuses any thread that goes around the wrapper, its maker included.
 */
@ParameterizedClass(name = "{0} over {1}")
@MethodSource("io.github.alloclab.contract.AllocatorContractTest#allocatorsAndSources")
class ThreadConfinementTest {

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
        if (heap != null) {
            heap.close();
        }
    }

    /** Runs {@code call} on a new thread and returns what it threw, or null. */
    private static Throwable onAnotherThread(Consumer<Allocator> call, Allocator heap) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread.ofPlatform().name("second").start(() -> {
            try {
                call.accept(heap);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        try {
            return thrown.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void onlyMagazineAllocatorsOverFlatMemoryAreThreadSafe() {
        boolean magazines = name.equals("malloc") || name.equals("slab");
        assertThat(heap.isThreadSafe()).isEqualTo(magazines && memory == MemoryKind.FLAT);
    }

    @Test
    void aSecondThreadIsServedOrRefusedBeforeAnythingChanges() throws Exception {
        long kept = heap.malloc(100);
        heap.memory().fill(kept, 100, (byte) 0x5A);
        long before = heap.stats().liveBlocks();
        Consumer<Allocator> allocAndFree = h -> h.free(h.malloc(64));
        if (heap.isThreadSafe()) {
            assertThat(onAnotherThread(allocAndFree, heap)).isNull();
            assertThat(onAnotherThread(h -> h.free(kept), heap)).as("free of a block made on the first thread").isNull();
            assertThat(heap.stats().liveBlocks()).isEqualTo(before - 1);
        } else {
            for (Consumer<Allocator> call : java.util.List.<Consumer<Allocator>>of(
                    allocAndFree, h -> h.free(kept), h -> h.realloc(kept, 5000), h -> h.memalign(256, 10),
                    h -> h.calloc(4, 8), h -> h.malloc(200_000), Allocator::close)) {
                assertThat(onAnotherThread(call, heap))
                        .isInstanceOf(WrongThreadException.class)
                        .hasMessageContaining("'second'")
                        .hasMessageContaining("ConcurrentAllocator");
            }
            assertThat(heap.stats().liveBlocks()).as("nothing changed").isEqualTo(before);
            assertThat(heap.check()).isEmpty();
            for (int i = 0; i < 100; i++) {
                assertThat(heap.memory().getByte(kept + i)).isEqualTo((byte) 0x5A);
            }
            heap.free(kept);
        }
        heap.free(heap.malloc(300));
        assertThat(heap.check()).isEmpty();
        assertThat(heap.stats().liveBlocks()).isEqualTo(before - 1);
    }

    @Test
    void aSharedAllocatorRefusesCallsThatGoAroundItsWrapper() throws Exception {
        Allocator inner = heap;
        ConcurrentAllocator shared = new ConcurrentAllocator(inner);
        long p = shared.malloc(40);
        assertThat(onAnotherThread(h -> h.free(h.malloc(24)), shared)).isNull();
        if (!inner.isThreadSafe()) {
            assertThatThrownBy(() -> inner.malloc(8)).as("the maker too, once shared")
                    .isInstanceOf(WrongThreadException.class).hasMessageContaining("shared under a lock");
            assertThat(onAnotherThread(h -> h.free(p), inner)).isInstanceOf(WrongThreadException.class);
        }
        if (memory == MemoryKind.SIMULATED) {
            assertThatThrownBy(() -> inner.memory().putLong(p, 1)).as("the simulated source is guarded too")
                    .isInstanceOf(WrongThreadException.class);
            assertThat(onAnotherThread(h -> h.memory().putLong(p, 7), shared)).as("through the wrapper's view").isNull();
            assertThat(shared.memory().getLong(p)).isEqualTo(7);
        }
        shared.free(p);
        assertThat(shared.check()).isEmpty();
        assertThat(shared.stats().liveBlocks()).isZero();
        if (!inner.isThreadSafe()) {
            assertThatThrownBy(() -> new ConcurrentAllocator(inner)).as("one wrapper per confined allocator")
                    .isInstanceOf(WrongThreadException.class);
        }
        heap = null;
        shared.close();
    }
}
