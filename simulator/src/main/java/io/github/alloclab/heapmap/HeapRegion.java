package io.github.alloclab.heapmap;

import java.util.List;

/**
 * One region of a heap map, {@code [start, end)}, cut into cells of {@code bytesPerCell} bytes: cell {@code i}
 * covers {@code [start + i * bytesPerCell, start + (i + 1) * bytesPerCell)}, the last one clipped at {@code end}.
 *
 * @param name         {@code [heap]} for the break's heap, {@code mmap} for a mapped region
 * @param start        the region's first address
 * @param end          the first address past it
 * @param bytesPerCell bytes a cell covers, a power of two
 * @param cells        what each cell holds, {@code ceil((end - start) / bytesPerCell)} of them
 */
public record HeapRegion(String name, long start, long end, long bytesPerCell, List<CellState> cells) {

    /** The name of the region between the initial break and the break. */
    public static final String BRK = "[heap]";
    /** The name of a region the allocator mapped. */
    public static final String MMAP = "mmap";

    public HeapRegion {
        cells = List.copyOf(cells);
    }

    /** {@return the region's size in bytes} */
    public long byteSize() {
        return end - start;
    }
}
