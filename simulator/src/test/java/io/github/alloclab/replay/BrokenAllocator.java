package io.github.alloclab.replay;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.HeapStats;
import io.github.alloclab.allocator.Violation;
import io.github.alloclab.memory.MemorySource;
import io.github.alloclab.registry.AllocatorRegistry;
import java.util.List;
import java.util.function.Consumer;

/** A correct allocator with one planted bug, which shows from its {@code triggerAt}-th malloc on. */
final class BrokenAllocator implements Allocator {

    enum Bug { OVERLAP, MISALIGNED, OUTSIDE_HEAP, REALLOC_DROPS_CONTENTS, SCRIBBLES_ON_NEIGHBOUR, THROWS }

    private final Allocator inner = AllocatorRegistry.standard().create("firstfit");
    private final Bug bug;
    private final int triggerAt;
    private int mallocs;
    private long previous;

    BrokenAllocator(Bug bug, int triggerAt) {
        this.bug = bug;
        this.triggerAt = triggerAt;
    }

    @Override
    public long malloc(long byteSize) {
        long p = inner.malloc(byteSize);
        boolean now = ++mallocs >= triggerAt;
        long result = p;
        if (now) {
            switch (bug) {
                case OVERLAP -> result = previous;
                case MISALIGNED -> result = p + 8;
                case OUTSIDE_HEAP -> result = inner.memory().heapStart() + (1L << 30);
                case SCRIBBLES_ON_NEIGHBOUR -> inner.memory().putByte(previous, (byte) ~inner.memory().getByte(previous));
                case THROWS -> throw new IllegalStateException("planted failure");
                default -> { }
            }
        }
        previous = p;
        return result;
    }

    @Override
    public long realloc(long address, long byteSize) {
        if (bug == Bug.REALLOC_DROPS_CONTENTS) {
            long q = inner.malloc(byteSize);
            inner.free(address);
            return q;
        }
        return inner.realloc(address, byteSize);
    }

    @Override
    public String name() {
        return "broken-" + bug;
    }

    @Override
    public MemorySource memory() {
        return inner.memory();
    }

    @Override
    public long alignment() {
        return inner.alignment();
    }

    @Override
    public long calloc(long count, long byteSize) {
        return inner.calloc(count, byteSize);
    }

    @Override
    public void free(long address) {
        inner.free(address);
    }

    @Override
    public long usableSize(long address) {
        return inner.usableSize(address);
    }

    @Override
    public long memalign(long byteAlignment, long byteSize) {
        return inner.memalign(byteAlignment, byteSize);
    }

    @Override
    public HeapStats stats() {
        return inner.stats();
    }

    @Override
    public List<Violation> check() {
        return inner.check();
    }

    @Override
    public void walk(Consumer<Block> visitor) {
        inner.walk(visitor);
    }

    @Override
    public void close() {
        inner.close();
    }
}
