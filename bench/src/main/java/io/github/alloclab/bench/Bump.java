package io.github.alloclab.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The physical limit: a pointer bumped through one 64 MiB off-heap segment, 16-byte aligned, wrapping to the
 * start when it runs out. {@code free} does nothing. No allocator can be faster and still hand out memory.
 */
final class Bump implements BenchHeap {

    private static final long SIZE = 64L << 20;

    private final Arena arena = Arena.ofShared();
    private final long base = arena.allocate(SIZE, 4096).address();
    private long top;

    @Override
    public long malloc(long byteSize) {
        long size = (byteSize + 15) & -16;
        if (top + size > SIZE) {
            top = 0;
        }
        long p = base + top;
        top += size;
        return p;
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
