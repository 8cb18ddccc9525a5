package io.github.alloclab.slab;

import static io.github.alloclab.slab.SlabLayout.BASE;
import static io.github.alloclab.slab.SlabLayout.BITMAP;
import static io.github.alloclab.slab.SlabLayout.FIRST;

import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.memory.MemorySource;
import java.util.Set;
import java.util.function.Consumer;

/** Reports a slab as blocks, lowest address first: header and colour, every object, the leftover. */
final class SlabWalk {

    private SlabWalk() {
    }

    /**
     * Reports the slab whose header is {@code header}. Objects of an internal cache are metadata; so are the
     * header, the colour gap and the leftover.
     */
    static void slab(SlabCache cache, long header, Set<Long> inMagazines, Consumer<Block> visitor) {
        MemorySource memory = cache.memory();
        long base = memory.getLong(header + BASE);
        long first = memory.getLong(header + FIRST);
        int n = cache.objectsPerSlab();
        long size = cache.size();
        if (first < base || first + n * size > base + cache.span()) {
            visitor.accept(new Block(base, cache.span(), base, 0, BlockState.METADATA)); // corrupt: check() says so
            return;
        }
        if (first > base) {
            visitor.accept(new Block(base, first - base, first, 0, BlockState.METADATA));
        }
        for (int i = 0; i < n; i++) {
            long p = first + i * size;
            boolean allocated = (memory.getLong(header + BITMAP + ((i >>> 6) << 3)) & 1L << i) != 0
                    && !inMagazines.contains(p);
            BlockState state = cache.internal() ? BlockState.METADATA
                    : allocated ? BlockState.ALLOCATED : BlockState.FREE;
            visitor.accept(new Block(p, size, p, state == BlockState.METADATA ? 0 : cache.usable(), state));
        }
        long end = first + n * size;
        if (end < base + cache.span()) {
            visitor.accept(new Block(end, base + cache.span() - end, end, 0, BlockState.METADATA));
        }
    }
}
