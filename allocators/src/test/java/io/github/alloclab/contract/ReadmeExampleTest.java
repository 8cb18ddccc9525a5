package io.github.alloclab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.AllocatorSegmentAllocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The README's "Using an allocator from Java" example, kept true. */
class ReadmeExampleTest {

    @Test
    void readmeExampleWorksAsPrinted() {
        try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
            AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
            MemorySegment ints = segments.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);
            long address = segments.addressOf(ints);
            assertThat(address).isEqualTo(0x555555559020L);
            assertThat(heap.memory().getInt(address + 4)).isEqualTo(2);
            segments.free(ints);
            assertThat(heap.check()).isEmpty();
        }
    }
}
