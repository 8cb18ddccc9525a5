package io.github.alloclab.contract;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.AllocatorSegmentAllocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import org.junit.jupiter.api.Test;

/** The README's "Using an allocator from Java" example (examples/consumer's Particles, in short), kept true. */
class ReadmeExampleTest {

    @Test
    void readmeExampleWorksAsPrinted() {
        StructLayout particle = MemoryLayout.structLayout(JAVA_INT.withName("id"), JAVA_FLOAT.withName("mass"),
                JAVA_DOUBLE.withName("x"), JAVA_DOUBLE.withName("y"));
        VarHandle x = particle.arrayElementVarHandle(PathElement.groupElement("x"));
        assertThat(particle.byteSize()).as("struct particle: 24 bytes").isEqualTo(24);
        try (Allocator heap = AllocatorRegistry.standard().create("malloc")) {
            AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
            MemorySegment particles = segments.allocate(particle, 1_000);
            assertThat(particles.byteSize()).isEqualTo(24_000);
            x.set(particles, 0L, 999L, 1998.0);
            long address = segments.addressOf(particles);
            assertThat(address).isEqualTo(0x555555559020L);
            assertThat(heap.memory().getLong(address + 999 * 24 + 8))
                    .as("particles[999].x, read back through the simulated address")
                    .isEqualTo(Double.doubleToLongBits(1998.0));
            segments.free(particles);
            assertThat(heap.check()).isEmpty();
            assertThat(heap.stats().liveBlocks()).isZero();
        }
    }
}
