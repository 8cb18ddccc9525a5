package io.github.alloclab.bench;

import io.github.alloclab.memory.FlatMemorySource;

/**
 * The floor of any free-list allocator here: one LIFO list of blocks threaded through the blocks, over a
 * {@link FlatMemorySource}, with no size classes, no header to find, and no check of any kind. {@code malloc}
 * pops (or bumps when the list is empty) and {@code free} pushes, each one load and one store through the same
 * memory path the lab's allocators use. What an allocator costs above this is its own work: finding the size
 * class of a pointer, checking it, keeping counts.
 *
 * <p>Blocks are {@value #BLOCK} bytes, or the request rounded up to 16 when it is larger; a freed block of any
 * size goes on the one list and comes back as a {@value #BLOCK}-byte block. Like {@link Bump}, it starts over
 * when its 64 MiB are used up, so it never runs out.
 */
final class Lifo implements BenchHeap {

    static final long BLOCK = 4096;
    private static final long SIZE = 64L << 20;

    private final FlatMemorySource memory = new FlatMemorySource();
    private final long base = memory.sbrk(SIZE);
    private long top;
    private long head;

    @Override
    public long malloc(long byteSize) {
        long p = head;
        if (p != 0) {
            head = memory.getLong(p);
            return p;
        }
        return bump(Math.max(BLOCK, (byteSize + 15) & -16));
    }

    /** A new block; like {@link Bump}, it starts over at the bottom when the segment is used up. */
    private long bump(long size) {
        if (top + size > SIZE) {
            top = 0;
            head = 0;
        }
        long p = base + top;
        top += size;
        return p;
    }

    @Override
    public long realloc(long handle, long byteSize) {
        return byteSize <= BLOCK ? handle : malloc(byteSize);
    }

    @Override
    public void free(long handle) {
        if (handle != 0) {
            memory.putLong(handle, head);
            head = handle;
        }
    }

    @Override
    public void close() {
        memory.close();
    }
}
