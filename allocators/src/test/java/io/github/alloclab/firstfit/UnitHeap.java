package io.github.alloclab.firstfit;

import io.github.alloclab.memory.FlatMemorySource;
import io.github.alloclab.memory.MemorySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed heap of whole 32-byte units, spoken to in units as OSTEP's malloc.py speaks in bytes: {@code alloc(3)}
 * takes a block of exactly 3 units, and the free list reads {@code [0:3][5:95]} (unit offset : units).
 */
final class UnitHeap implements AutoCloseable {

    static final long UNIT = 32;
    static final MemorySettings SMALL = MemorySettings.DEFAULTS.withHeapLimit(256 * 1024).withMmapLimit(256 * 1024);

    final FirstFitAllocator heap;

    UnitHeap(long units, FirstFitSettings base) {
        this.heap = new FirstFitAllocator("units", new FlatMemorySource(SMALL),
                base.withHeader(8, UNIT).withThresholds(4096, 0, 0).withHeapBytes(units * UNIT));
    }

    /** {@return the unit offset of a new block of {@code units} units, or -1 when nothing fits} */
    long alloc(long units) {
        long p = heap.malloc(heap.requestFor(units * UNIT));
        return p == 0 ? -1 : (p - heap.offset - heap.firstBlock()) / UNIT;
    }

    void free(long unit) {
        heap.free(address(unit));
    }

    long address(long unit) {
        return heap.firstBlock() + unit * UNIT + heap.offset;
    }

    long steps() {
        return heap.lastSearchSteps();
    }

    /** {@return the free list in search order, as {@code [offset:units]...}} */
    String list() {
        StringBuilder text = new StringBuilder();
        heap.walkFreeList(b -> text.append('[').append((b.address() - heap.firstBlock()) / UNIT).append(':')
                .append(b.byteSize() / UNIT).append(']'));
        return text.toString();
    }

    /** {@return every block in address order, as {@code [offset:units:a|f]...}} */
    List<String> blocks() {
        List<String> blocks = new ArrayList<>();
        heap.walk(b -> {
            if (b.state() != io.github.alloclab.allocator.BlockState.METADATA) {
                blocks.add("%d:%d:%s".formatted((b.address() - heap.firstBlock()) / UNIT, b.byteSize() / UNIT,
                        b.state() == io.github.alloclab.allocator.BlockState.FREE ? "f" : "a"));
            }
        });
        return blocks;
    }

    @Override
    public void close() {
        heap.close();
    }
}
