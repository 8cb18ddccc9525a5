package io.github.alloclab.allocator;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * An {@link Allocator} seen as a {@link SegmentAllocator}, so that Java code allocates real off-heap memory
 * from it.
 *
 * {@snippet :
 * try (Allocator heap = AllocatorRegistry.standard().create("firstfit")) {
 *     AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
 *     MemorySegment ints = segments.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);
 *     ints.setAtIndex(ValueLayout.JAVA_INT, 0, 42);
 *     segments.free(ints);                     // back to the heap
 * }
 * }
 *
 * An array of C structs ({@code struct particle { int id; float mass; double x, y; }}), as
 * {@code examples/consumer} builds it:
 * {@snippet :
 * StructLayout particle = MemoryLayout.structLayout(JAVA_INT.withName("id"), JAVA_FLOAT.withName("mass"),
 *         JAVA_DOUBLE.withName("x"), JAVA_DOUBLE.withName("y"));      // 24 bytes
 * VarHandle x = particle.arrayElementVarHandle(PathElement.groupElement("x"));
 * try (Allocator heap = AllocatorRegistry.standard().create("malloc")) {
 *     AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
 *     MemorySegment particles = segments.allocate(particle, 1_000);   // one malloc(24000)
 *     x.set(particles, 0L, 999L, 1998.0);                              // particles[999].x = 1998.0
 *     long address = segments.addressOf(particles);                   // 0x555555559020
 *     segments.free(particles);                                        // free(address)
 * }
 * }
 *
 * @implNote Alignments up to {@link Allocator#alignment()} use {@code malloc}, larger ones {@code memalign}.
 *           Where the allocator would return {@code NULL}, this view throws
 *           {@link AllocationFailedException}, since a {@link SegmentAllocator} must not return a null segment.
 */
public final class AllocatorSegmentAllocator implements SegmentAllocator {

    private final Allocator allocator;

    AllocatorSegmentAllocator(Allocator allocator) {
        this.allocator = allocator;
    }

    /**
     * @throws IllegalArgumentException  if {@code byteSize < 0} or {@code byteAlignment} is not a power of two
     * @throws AllocationFailedException if the allocator is out of memory
     */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byteAlignment must be a power of two: " + byteAlignment);
        }
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize must not be negative: " + byteSize);
        }
        long address = byteAlignment <= allocator.alignment()
                ? allocator.malloc(byteSize)
                : allocator.memalign(byteAlignment, byteSize);
        if (address == 0) {
            throw new AllocationFailedException(allocator.name(), byteSize, byteAlignment);
        }
        return allocator.memory().segment(address, byteSize);
    }

    /** {@return the simulated virtual address of a segment this view allocated} */
    public long addressOf(MemorySegment segment) {
        return allocator.memory().addressOf(segment);
    }

    /** Frees a segment this view allocated, like {@code free(p)}. */
    public void free(MemorySegment segment) {
        allocator.free(addressOf(segment));
    }
}
