package io.github.alloclab.examples.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.AllocatorSegmentAllocator;
import io.github.alloclab.allocator.HeapCorruptionException;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The example's structs, allocated by alloclab's malloc, agree with the same structs in a JDK arena. */
class ParticlesTest {

    /** sum over i of i * 2i = 2 (n - 1) n (2n - 1) / 6 */
    private static double expected(int n) {
        return 2.0 * (n - 1) * n * (2L * n - 1) / 6;
    }

    @Test
    void structsFromMallocHoldTheirValuesAndFreeCleanly() {
        try (Allocator heap = AllocatorRegistry.standard().create("malloc")) {
            AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
            MemorySegment particles = Particles.create(segments, 1_000);
            assertEquals(24, Particles.PARTICLE.byteSize());
            assertEquals(24_000, particles.byteSize());
            assertEquals(0, segments.addressOf(particles) % Particles.PARTICLE.byteAlignment());
            assertEquals(expected(1_000), Particles.momentSum(particles));
            assertEquals(1, heap.stats().liveBlocks());

            segments.free(particles);
            assertEquals(0, heap.stats().liveBlocks());
            assertTrue(heap.check().isEmpty(), () -> heap.check().toString());
            HeapCorruptionException twice = assertThrows(HeapCorruptionException.class,
                    () -> segments.free(particles));
            assertEquals("free(): double free detected", twice.reason());
        }
    }

    @Test
    void aBlockAboveTheMmapThresholdIsMappedAndTheSameCodeStillWorks() {
        try (Allocator heap = AllocatorRegistry.standard().create("malloc")) {
            AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
            MemorySegment particles = Particles.create(segments, 10_000);   // 240,000 bytes >= 128 KiB
            assertTrue(heap.memory().mappedBytes() >= 240_000, "mapped with mmap");
            assertEquals(expected(10_000), Particles.momentSum(particles));
            segments.free(particles);
            assertEquals(0, heap.memory().mappedBytes(), "unmapped by free");
            assertTrue(heap.check().isEmpty());
        }
    }

    @Test
    void theSameCodeRunsOnAJdkArena() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(expected(1_000), Particles.momentSum(Particles.create(arena, 1_000)));
        }
    }
}
