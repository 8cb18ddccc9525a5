package io.github.alloclab.trace;

import java.util.Arrays;
import java.util.List;

/**
 * What a trace asks for, independent of any allocator: counts, the live payload over time, and the blocks
 * never freed. One streaming pass computes it, keeping one {@code long} per id.
 *
 * <p>The pass also checks that every operation makes sense for the live blocks (no free of a block that is not
 * live, no allocation of an id still live), and throws the same {@link TraceFormatException} a replay would.
 *
 * @param name             the trace's name
 * @param format           the format it was read in
 * @param ops              operations
 * @param allocs           {@code a} operations (malloc, calloc, memalign)
 * @param reallocs         {@code r} operations
 * @param frees            {@code f} operations
 * @param ids              one more than the largest id: the {@code .rep} header's number of ids
 * @param peakLiveBytes    the most payload bytes live at once
 * @param peakLiveOp       the 1-based index of the operation after which live payload first reached its peak;
 *                         0 when nothing was ever live
 * @param leakedBlocks     blocks live at the end: allocated and never freed
 * @param leakedBytes      their payload bytes
 * @param liveBlockOps     the sum, over allocations and reallocations, of the blocks live at that moment: what
 *                         walking the heap before each of them would cost, roughly
 * @param warningCount     calls the reader skipped with a warning
 * @param warnings         the first of those warnings
 */
public record TraceProfile(String name, TraceFormat format, long ops, long allocs, long reallocs, long frees,
                           int ids, long peakLiveBytes, long peakLiveOp, long leakedBlocks, long leakedBytes,
                           long liveBlockOps, long warningCount, List<String> warnings) {

    public TraceProfile {
        warnings = List.copyOf(warnings);
    }

    /** {@return the suggested heap size a {@code .rep} header carries: the peak live payload, rounded up to 4 KiB} */
    public long suggestedHeapBytes() {
        return (peakLiveBytes + 4095) / 4096 * 4096;
    }

    /**
     * Reads a whole trace.
     *
     * @throws TraceFormatException if the trace is malformed or inconsistent
     */
    public static TraceProfile of(TraceSource source) {
        try (TraceReader reader = source.open()) {
            return of(reader);
        }
    }

    /** Reads the rest of {@code reader}; the caller closes it. */
    public static TraceProfile of(TraceReader reader) {
        // Live sizes by dense id: indexed by the trace's own ids, one block with id 2^31 - 2 would take 16 GiB.
        DenseIds slots = new DenseIds();
        long[] sizes = new long[1024];
        Arrays.fill(sizes, -1);
        long ops = 0;
        long allocs = 0;
        long reallocs = 0;
        long frees = 0;
        int maxId = -1;
        long live = 0;
        long liveBlocks = 0;
        long peak = 0;
        long peakOp = 0;
        long liveBlockOps = 0;
        while (reader.hasNext()) {
            TraceOp op = reader.next();
            ops++;
            int id = op.id();
            int slot = slots.of(id);
            if (slot >= sizes.length) {
                int old = sizes.length;
                sizes = Arrays.copyOf(sizes, old * 2);
                Arrays.fill(sizes, old, sizes.length, -1);
            }
            maxId = Math.max(maxId, id);
            switch (op.kind()) {
                case ALLOC -> {
                    if (sizes[slot] >= 0) {
                        throw new TraceFormatException(reader.name(), op.line(),
                                "id %d is allocated again while still live".formatted(id));
                    }
                    allocs++;
                    liveBlockOps += liveBlocks;
                    sizes[slot] = op.byteSize();
                    live += op.byteSize();
                    liveBlocks++;
                }
                case REALLOC -> {
                    if (sizes[slot] < 0) {
                        throw new TraceFormatException(reader.name(), op.line(),
                                "realloc of id %d, which is not allocated".formatted(id));
                    }
                    reallocs++;
                    liveBlockOps += liveBlocks;
                    live += op.byteSize() - sizes[slot];
                    sizes[slot] = op.byteSize();
                }
                case FREE -> {
                    if (sizes[slot] < 0) {
                        throw new TraceFormatException(reader.name(), op.line(),
                                "free of id %d, which is not allocated".formatted(id));
                    }
                    frees++;
                    live -= sizes[slot];
                    sizes[slot] = -1;
                    liveBlocks--;
                }
            }
            if (live > peak) {
                peak = live;
                peakOp = ops;
            }
        }
        int ids = maxId + 1;
        if (reader instanceof RepTraceReader rep) {
            ids = Math.max(ids, rep.header().ids());
        }
        return new TraceProfile(reader.name(), reader.format(), ops, allocs, reallocs, frees, ids, peak, peakOp,
                liveBlocks, live, liveBlockOps, reader.warningCount(), reader.warnings());
    }
}
