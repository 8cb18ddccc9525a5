package io.github.alloclab.replay;

import io.github.alloclab.trace.DenseIds;
import io.github.alloclab.trace.TraceOp;
import io.github.alloclab.trace.TraceReader;
import io.github.alloclab.trace.TraceSource;
import java.util.Arrays;

/**
 * A trace packed into three parallel arrays, for timed runs: reading them costs no parsing and no
 * allocation, so the clock measures the allocator alone. Ids are {@linkplain DenseIds renumbered densely}, so
 * that a replay's array of addresses has one slot per block, whatever the trace's ids.
 */
final class PackedTrace {

    static final byte ALLOC = 0;
    static final byte REALLOC = 1;
    static final byte FREE = 2;

    private byte[] kinds = new byte[1024];
    private int[] ids = new int[1024];
    private long[] sizes = new long[1024];
    private int size;
    private final DenseIds denseIds = new DenseIds();

    PackedTrace(TraceSource trace) {
        try (TraceReader reader = trace.open()) {
            while (reader.hasNext()) {
                add(reader.next());
            }
        }
    }

    private void add(TraceOp op) {
        if (size == kinds.length) {
            int capacity = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, 2L * size));
            kinds = Arrays.copyOf(kinds, capacity);
            ids = Arrays.copyOf(ids, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
        }
        kinds[size] = switch (op.kind()) {
            case ALLOC -> ALLOC;
            case REALLOC -> REALLOC;
            case FREE -> FREE;
        };
        ids[size] = denseIds.of(op.id());
        sizes[size] = op.byteSize();
        size++;
    }

    int size() {
        return size;
    }

    /** {@return how many ids the trace uses: the ids here are renumbered densely, all below it} */
    int ids() {
        return denseIds.count();
    }

    byte kind(int i) {
        return kinds[i];
    }

    int id(int i) {
        return ids[i];
    }

    long byteSize(int i) {
        return sizes[i];
    }
}
