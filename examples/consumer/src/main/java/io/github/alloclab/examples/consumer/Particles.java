package io.github.alloclab.examples.consumer;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.AllocatorSegmentAllocator;
import io.github.alloclab.registry.AllocatorRegistry;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * An array of C structs in off-heap memory, allocated by alloclab's composite {@code malloc} through the standard
 * {@link SegmentAllocator} interface:
 *
 * <pre>
 * struct particle { int id; float mass; double x; double y; };   // 24 bytes, aligned to 8
 * </pre>
 *
 * Any code that takes a {@code SegmentAllocator} (the JDK's {@code allocateFrom}, jextract bindings, a parser)
 * can be handed one of alloclab's allocators instead of an {@code Arena}, and then the heap can be inspected:
 * where each block went, how much it cost, and whether the heap is still consistent.
 */
public final class Particles {

    /** {@code struct particle}: the JDK computes the offsets, and says where padding would go. */
    public static final StructLayout PARTICLE = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("id"),
            ValueLayout.JAVA_FLOAT.withName("mass"),
            ValueLayout.JAVA_DOUBLE.withName("x"),
            ValueLayout.JAVA_DOUBLE.withName("y")).withName("particle");

    private static final VarHandle ID = handle("id");
    private static final VarHandle MASS = handle("mass");
    private static final VarHandle X = handle("x");

    private static VarHandle handle(String field) {
        return PARTICLE.arrayElementVarHandle(MemoryLayout.PathElement.groupElement(field));
    }

    private Particles() {
    }

    /** {@return {@code count} particles allocated from {@code allocator}, particle i with mass i and x = 2i} */
    public static MemorySegment create(SegmentAllocator allocator, int count) {
        MemorySegment particles = allocator.allocate(PARTICLE, count);
        for (int i = 0; i < count; i++) {
            ID.set(particles, 0L, (long) i, i);
            MASS.set(particles, 0L, (long) i, (float) i);
            X.set(particles, 0L, (long) i, 2.0 * i);
        }
        return particles;
    }

    /** {@return the sum of mass times x over the particles} */
    public static double momentSum(MemorySegment particles) {
        long count = particles.byteSize() / PARTICLE.byteSize();
        double sum = 0;
        for (long i = 0; i < count; i++) {
            sum += (float) MASS.get(particles, 0L, i) * (double) X.get(particles, 0L, i);
        }
        return sum;
    }

    /** Allocates 1,000 particles with {@code malloc}, sums them, frees them, and checks the heap. */
    public static void main(String[] args) {
        try (Allocator heap = AllocatorRegistry.standard().create("malloc")) {
            AllocatorSegmentAllocator segments = heap.asSegmentAllocator();
            MemorySegment particles = create(segments, 1_000);                  // real off-heap memory
            System.out.printf("%d bytes at 0x%x%n", particles.byteSize(), segments.addressOf(particles));
            System.out.println(momentSum(particles));                          // 6.65667E8
            segments.free(particles);
            System.out.println(heap.check());                                   // [] : nothing wrong
        }
    }
}
