package io.github.alloclab.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The JDK's {@link SegmentAllocator#slicingAllocator}: slices of one 64 MiB segment, 16-byte aligned,
 * starting over when the segment is used up. {@code free} does nothing.
 */
final class Slicing implements BenchHeap {

    private static final long SIZE = 64L << 20;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment = arena.allocate(SIZE, 4096);
    private SegmentAllocator slices = SegmentAllocator.slicingAllocator(segment);

    @Override
    public long malloc(long byteSize) {
        try {
            return slices.allocate(byteSize, 16).address();
        } catch (IndexOutOfBoundsException full) {
            slices = SegmentAllocator.slicingAllocator(segment);
            return slices.allocate(byteSize, 16).address();
        }
    }

    /** No copy: the physical limit does not move bytes. */
    @Override
    public long realloc(long handle, long byteSize) {
        return malloc(byteSize);
    }

    @Override
    public void free(long handle) {
    }

    @Override
    public void close() {
        arena.close();
    }
}
