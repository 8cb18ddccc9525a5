package io.github.alloclab.heapmap;

import io.github.alloclab.allocator.Allocator;
import io.github.alloclab.allocator.Block;
import io.github.alloclab.allocator.BlockState;
import io.github.alloclab.firstfit.Guards;
import io.github.alloclab.memory.MemorySource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Draws an allocator's heap as regions of cells, from {@link Allocator#walk} and the heap's bytes.
 *
 * <h2>Regions</h2>
 * The break's heap, {@code [heapStart, brk)}, is one region whenever the break has moved. Every block outside
 * it lies in a mapping: blocks whose pages touch or overlap form one mapped region, from the page below the
 * first to the page above the last, as adjacent anonymous mappings merge into one line of
 * {@code /proc/PID/maps}.
 *
 * <h2>What each byte holds</h2>
 * For a block {@code b} with payload {@code p} and {@code u} usable bytes, of which the caller asked for
 * {@code n} (when known; else {@code n = u}):
 * <pre>
 *  b ........ p ................ p + n ........... p + u ........ b + byteSize
 *  | metadata | allocated (or free) | padding        | metadata      |
 * </pre>
 * A metadata block is metadata throughout. In the metadata of an allocated block, every run of at least
 * {@value #MIN_RED_ZONE} bytes of {@code 0xcc} ({@link Guards#RED_ZONE}) is a red zone: a checked allocator
 * writes such runs around each payload, and a boundary tag is never eight such bytes. Bytes of a region that no
 * block covers are {@link CellState#UNUSED}.
 *
 * <h2>Scale</h2>
 * A region is cut into cells of {@code bytesPerCell} bytes: a fixed power of two, or, by default, the smallest
 * power of two that fits the whole region in {@code maxCells} cells (a few rows of a picture). A cell shows the first state, in
 * {@link CellState}'s order, of the bytes it covers.
 */
public final class HeapMap {

    /** The shortest run of {@code 0xcc} bytes taken for a red zone rather than chance. */
    static final int MIN_RED_ZONE = 8;
    /** The most cells a region is cut into. */
    public static final int MAX_CELLS = 1 << 20;

    private HeapMap() {
    }

    /**
     * {@return the regions of {@code heap}, lowest address first}
     *
     * @param requested    payload address to the bytes asked for, for every live block the caller knows
     * @param maxCells     cells a region fits in when {@code bytesPerCell} is 0
     * @param bytesPerCell a fixed power of two, or 0 to scale each region to {@code maxCells}
     * @throws IllegalArgumentException if {@code maxCells < 1}, {@code bytesPerCell} is neither 0 nor a power of
     *                                  two, or a region would need more than {@value #MAX_CELLS} cells
     */
    public static List<HeapRegion> of(Allocator heap, Map<Long, Long> requested, long maxCells, long bytesPerCell) {
        if (maxCells < 1) {
            throw new IllegalArgumentException("a region needs at least 1 cell, not " + maxCells);
        }
        if (bytesPerCell < 0 || Long.bitCount(bytesPerCell) > 1) {
            throw new IllegalArgumentException("bytes per cell must be a power of two, not " + bytesPerCell);
        }
        MemorySource memory = heap.memory();
        List<Block> blocks = new ArrayList<>();
        heap.walk(blocks::add);
        blocks.sort(Comparator.comparingLong(Block::address));
        List<long[]> bounds = new ArrayList<>();
        if (memory.brk() > memory.heapStart()) {
            bounds.add(new long[] {memory.heapStart(), memory.brk()});
        }
        long page = memory.pageSize();
        long[] mapped = null;
        for (Block b : blocks) {
            if (b.byteSize() <= 0 || b.address() >= memory.heapStart() && b.end() <= memory.brk()) {
                continue;
            }
            long start = b.address() & -page;
            long end = (b.end() + page - 1) & -page;
            if (mapped != null && start <= mapped[1]) {
                mapped[1] = Math.max(mapped[1], end);
            } else {
                mapped = new long[] {start, end};
                bounds.add(mapped);
            }
        }
        bounds.sort(Comparator.comparingLong(r -> r[0]));
        List<HeapRegion> regions = new ArrayList<>();
        for (long[] r : bounds) {
            long scale = bytesPerCell != 0 ? bytesPerCell : scale(r[1] - r[0], Math.min(maxCells, MAX_CELLS));
            if ((r[1] - r[0] + scale - 1) / scale > MAX_CELLS) {
                throw new IllegalArgumentException("a region of %d bytes at %d bytes a cell is more than %d cells"
                        .formatted(r[1] - r[0], scale, MAX_CELLS) + "; choose a larger scale");
            }
            Painter painter = new Painter(memory, r[0], r[1], scale);
            for (Block b : blocks) {
                if (b.end() > r[0] && b.address() < r[1]) {
                    painter.block(b, requested.get(b.payload()));
                }
            }
            boolean brk = r[0] == memory.heapStart() && r[1] == memory.brk();
            regions.add(new HeapRegion(brk ? HeapRegion.BRK : HeapRegion.MMAP, r[0], r[1], scale,
                    Arrays.asList(painter.cells)));
        }
        return regions;
    }

    /** {@return the smallest power of two {@code s} with {@code ceil(byteSize / s) <= cells}} */
    static long scale(long byteSize, long cells) {
        long perCell = Math.max(1, (byteSize + cells - 1) / cells);
        return Long.bitCount(perCell) == 1 ? perCell : Long.highestOneBit(perCell) << 1;
    }

    /** Marks the cells of one region, byte range by byte range. */
    private static final class Painter {
        private final MemorySource memory;
        private final long start;
        private final long end;
        private final long scale;
        final CellState[] cells;

        Painter(MemorySource memory, long start, long end, long scale) {
            this.memory = memory;
            this.start = start;
            this.end = end;
            this.scale = scale;
            this.cells = new CellState[Math.toIntExact((end - start + scale - 1) / scale)];
            Arrays.fill(cells, CellState.UNUSED);
        }

        void block(Block b, Long requested) {
            long payloadEnd = b.payload() + b.usable();
            switch (b.state()) {
                case METADATA -> mark(b.address(), b.end(), CellState.METADATA);
                case FREE -> {
                    mark(b.address(), b.payload(), CellState.METADATA);
                    mark(b.payload(), payloadEnd, CellState.FREE);
                    mark(payloadEnd, b.end(), CellState.METADATA);
                }
                case ALLOCATED -> {
                    long asked = requested == null ? b.usable() : Math.min(requested, b.usable());
                    guarded(b.address(), b.payload());
                    mark(b.payload(), b.payload() + asked, CellState.ALLOCATED);
                    mark(b.payload() + asked, payloadEnd, CellState.PADDING);
                    guarded(payloadEnd, b.end());
                }
            }
        }

        /** Marks the metadata of an allocated block, finding its red zones. */
        private void guarded(long from, long to) {
            long run = from;
            for (long a = Math.max(from, start); a < Math.min(to, end); a++) {
                if (memory.getByte(a) != Guards.RED_ZONE) {
                    if (a - run >= MIN_RED_ZONE) {
                        mark(run, a, CellState.RED_ZONE);
                    }
                    run = a + 1;
                }
            }
            long last = Math.min(to, end);
            if (last - run >= MIN_RED_ZONE) {
                mark(run, last, CellState.RED_ZONE);
            }
            mark(from, to, CellState.METADATA);
        }

        private void mark(long from, long to, CellState state) {
            long lo = Math.max(from, start);
            long hi = Math.min(to, end);
            if (lo >= hi) {
                return;
            }
            int first = (int) ((lo - start) / scale);
            int last = (int) ((hi - 1 - start) / scale);
            for (int i = first; i <= last; i++) {
                if (state.ordinal() < cells[i].ordinal()) {
                    cells[i] = state;
                }
            }
        }
    }
}
